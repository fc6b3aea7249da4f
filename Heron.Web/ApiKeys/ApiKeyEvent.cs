namespace Heron.Web.ApiKeys;

public enum ApiKeyEventKind
{
    Created = 1,
    Deactivated = 2,
    Reactivated = 3,
    Deleted = 4,
}

/// <summary>Who acted, in the audit trail.</summary>
public enum ActorKind
{
    /// <summary>A customer's dashboard account.</summary>
    User = 1,
    /// <summary>An API key acting through Heron's API.</summary>
    ApiKey = 2,
    /// <summary>A Heron operator.</summary>
    Operator = 3,
    /// <summary>The operations CLI.</summary>
    Cli = 4,
}

/// <summary>Who did something and from where.</summary>
public sealed record Actor(ActorKind Kind, string Name, string? ClientIp)
{
    public static Actor Cli() => new(ActorKind.Cli, $"CLI on {Environment.MachineName}", null);
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
