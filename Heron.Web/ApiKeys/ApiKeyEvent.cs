using Heron.Web.Audit;

namespace Heron.Web.ApiKeys;

public enum ApiKeyEventKind
{
    Created = 1,
    Deactivated = 2,
    Reactivated = 3,
    Deleted = 4,
    /// <summary>Replaced by a new key; the event's key expires when the grace period ends.</summary>
    Rolled = 5,
    /// <summary>The key's expiry came (written by Heron, at the time it expired); its state is unchanged.</summary>
    Expired = 6,
}

/// <summary>One entry of the audit trail of API key lifecycle events. Append-only.</summary>
public sealed class ApiKeyEvent
{
    public long Id { get; set; }
    public int ApiKeyId { get; set; }
    public ApiKey ApiKey { get; set; } = null!;
    public int RealmId { get; set; }
    public ApiKeyEventKind Kind { get; set; }
    public ActorKind ActorKind { get; set; }
    public required string ActorName { get; set; }
    public string? ClientIp { get; set; }
    public DateTime OccurredAt { get; set; }
}
