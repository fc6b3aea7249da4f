namespace Heron.Web.ApiKeys;

/// <summary>What limits a key: when it expires, what it may do, where it may be used from. The default limits nothing.</summary>
public sealed record KeyControls(DateTime? ExpiresAt, ApiScopeSet Scopes, IpAllowlist Allowlist)
{
    public static readonly KeyControls None = new(null, ApiScopeSet.All, IpAllowlist.Anywhere);

    /// <summary>The most a roll's grace period may be: 7 days.</summary>
    public const int MaxGracePeriodSeconds = 604_800;

    public static KeyControls Of(ApiKey key) =>
        new(key.ExpiresAt, ApiScopes.FromStored(key.Scopes), IpAllowlist.FromStored(key.AllowedIps));

    /// <summary>An expiry as Heron keeps it: whole seconds, UTC.</summary>
    public static DateTime ToTheSecond(DateTime at) => new(at.Ticks - at.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
}
