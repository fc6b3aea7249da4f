namespace Heron.Web.Audit;

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
    /// <summary>Heron itself: what happens at a set time, such as a key's expiry.</summary>
    Heron = 5,
}

/// <summary>Who did something and from where.</summary>
public sealed record Actor(ActorKind Kind, string Name, string? ClientIp)
{
    public static Actor Cli() => new(ActorKind.Cli, $"CLI on {Environment.MachineName}", null);

    public static readonly Actor Heron = new(ActorKind.Heron, "Heron", null);
}
