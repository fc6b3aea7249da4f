using Heron.Web.Organizations;

namespace Heron.Web.ApiKeys;

/// <summary>
/// An API key of one realm. Heron stores only the SHA-256 hash of the token and its 8-character prefix;
/// the token itself exists in exactly one response, the one that created the key.
/// </summary>
public sealed class ApiKey
{
    /// <summary>Names are 1..128 characters (Unicode code points, as Heron's API counts them).</summary>
    public const int NameMaxLength = 128;

    public int Id { get; set; }
    public required string HeronId { get; set; }
    public int RealmId { get; set; }
    public Realm Realm { get; set; } = null!;
    public required string Name { get; set; }
    public required string TokenPrefix { get; set; }
    public required byte[] TokenHash { get; set; }
    public bool IsActive { get; set; }
    public DateTime CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTime? LastUsedAt { get; set; }
    /// <summary>When the key was last deactivated; kept after reactivation for the audit view.</summary>
    public DateTime? DeactivatedAt { get; set; }
    /// <summary>
    /// Deletion is irreversible. The row stays (hash and all) so the token can never match again and
    /// a caller still holding it is told the key was deleted, but no API or page shows it any more.
    /// </summary>
    public DateTime? DeletedAt { get; set; }
    /// <summary>Requests refused because the key is deactivated, since its last deactivation: how a rotation is confirmed safe.</summary>
    public int RejectedSinceDeactivation { get; set; }
    public DateTime? LastRejectedAt { get; set; }

    /// <summary>From this instant on (to the second) the key is refused; null: never. A roll brings it forward to the end of the grace period.</summary>
    public DateTime? ExpiresAt { get; set; }
    /// <summary>The key's scopes, space-separated; null for all of them (<see cref="ApiScopes.Stored"/>).</summary>
    public string? Scopes { get; set; }
    /// <summary>The addresses and ranges the key may be used from, one per line; null for anywhere (<see cref="IpAllowlist.Stored"/>).</summary>
    public string? AllowedIps { get; set; }

    /// <summary>Which expiry notices were sent: each once, by whichever instance claims it first.</summary>
    public ExpiryNotices ExpiryNotices { get; set; }

    public bool IsDeleted => DeletedAt is not null;
}

/// <summary>What Heron has said about a key's expiry: the reminders before it, and the audit event when it came.</summary>
[Flags]
public enum ExpiryNotices
{
    None = 0,
    SevenDays = 1,
    OneDay = 2,
    Expired = 4,
}
