namespace Heron.Web.Organizations;

public enum RealmKind
{
    Development = 1,
    Production = 2,
    /// <summary>Heron's own operators.</summary>
    Internal = 3,
}

/// <summary>
/// One credential set of an organization: its own dashboard logins and API keys.
/// Nothing issued in one realm works in another.
/// </summary>
public sealed class Realm
{
    public int Id { get; set; }
    public required string HeronId { get; set; }
    public int OrganizationId { get; set; }
    public Organization Organization { get; set; } = null!;
    public RealmKind Kind { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Set by an operator on a production realm: its accounts must use two-factor sign-in.</summary>
    public bool RequiresTwoFactor { get; set; }
    /// <summary>Set by an operator on a production realm: every new key must expire within this many days.</summary>
    public int? MaxKeyLifetimeDays { get; set; }

    public string Environment => Kind.Environment();
    public string Username => Kind.Username(Organization.Slug);
}

public static class RealmKindExtensions
{
    /// <summary>The <c>environment</c> value of Heron's API: <c>dev</c>, <c>prod</c> or <c>internal</c>.</summary>
    public static string Environment(this RealmKind kind) => kind switch
    {
        RealmKind.Development => "dev",
        RealmKind.Production => "prod",
        RealmKind.Internal => "internal",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The realm's username in <c>/api/auth/environments</c>: <c>acme-dev</c>, <c>acme</c>.</summary>
    public static string Username(this RealmKind kind, string organizationSlug) => kind switch
    {
        RealmKind.Development => organizationSlug + "-dev",
        RealmKind.Production => organizationSlug,
        RealmKind.Internal => organizationSlug + "-internal",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Parses the words people type: <c>development</c>/<c>dev</c>, <c>production</c>/<c>prod</c>.</summary>
    public static bool TryParseCustomerRealm(string? value, out RealmKind kind)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "development" or "dev":
                kind = RealmKind.Development;
                return true;
            case "production" or "prod":
                kind = RealmKind.Production;
                return true;
            default:
                kind = default;
                return false;
        }
    }
}
