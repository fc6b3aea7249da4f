namespace Heron.Web.ApiKeys;

/// <summary>What a key may do. A key created without scopes has them all, as every key had before scopes existed.</summary>
[Flags]
public enum ApiScopeSet
{
    None = 0,
    CredentialsRead = 1,
    CredentialsWrite = 2,
    All = CredentialsRead | CredentialsWrite,
}

/// <summary>One scope an endpoint requires, as endpoint metadata.</summary>
public sealed record ApiScope(string Name, ApiScopeSet Flag);

/// <summary>Marks an endpoint that a key with any scopes may call (hello_world/authenticated).</summary>
public sealed class NeedsNoScope
{
    public static readonly NeedsNoScope Instance = new();
}

public static class ApiScopes
{
    public static readonly ApiScope CredentialsRead = new("credentials:read", ApiScopeSet.CredentialsRead);
    public static readonly ApiScope CredentialsWrite = new("credentials:write", ApiScopeSet.CredentialsWrite);

    /// <summary>The documented set, in the order lists show them.</summary>
    public static readonly IReadOnlyList<ApiScope> All = [CredentialsRead, CredentialsWrite];

    public static ApiScope? Find(string name) => All.FirstOrDefault(s => s.Name == name);

    /// <summary>The names of a set, in documented order.</summary>
    public static List<string> Names(ApiScopeSet set) => All.Where(s => set.HasFlag(s.Flag)).Select(s => s.Name).ToList();

    /// <summary>How a set is stored: null for all (what keys without scopes have), else the names space-separated.</summary>
    public static string? Stored(ApiScopeSet set) => set == ApiScopeSet.All ? null : string.Join(' ', Names(set));

    public static ApiScopeSet FromStored(string? stored) => stored is null
        ? ApiScopeSet.All
        : stored.Split(' ', StringSplitOptions.RemoveEmptyEntries).Aggregate(ApiScopeSet.None, (set, name) => set | (Find(name)?.Flag ?? 0));

    /// <summary>The endpoint needs a key with this scope.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, ApiScope scope) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(scope);

    /// <summary>The endpoint needs a valid key but no particular scope.</summary>
    public static TBuilder RequireNoScope<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(NeedsNoScope.Instance);

    /// <summary>
    /// Null when the key may call the endpoint. An endpoint that requires a key but declares neither a scope
    /// nor <see cref="NeedsNoScope"/> is refused to every key: a new endpoint cannot forget its scope.
    /// </summary>
    public static ApiKeyRejection? Check(VerifiedApiKey key, EndpointMetadataCollection metadata)
    {
        if (metadata.GetMetadata<ApiScope>() is { } scope)
        {
            return (key.Scopes & scope.Flag) == scope.Flag
                ? null
                : new ApiKeyRejection(RejectionReason.Scope, key.TokenPrefix) { KeyId = key.KeyId, Scope = scope.Name };
        }
        return metadata.GetMetadata<NeedsNoScope>() is null
            ? new ApiKeyRejection(RejectionReason.Scope, key.TokenPrefix) { KeyId = key.KeyId }
            : null;
    }
}
