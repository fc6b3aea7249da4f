namespace Heron.Web.Accounts;

/// <summary>A browser an account has signed in from, known by the hash of a random cookie it carries.</summary>
public sealed class KnownBrowser
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public required byte[] BrowserHash { get; set; }
    public DateTime FirstSeenAt { get; set; }
    public DateTime LastSeenAt { get; set; }
}

/// <summary>One "Forgot password?" request, kept to throttle per address and per client.</summary>
public sealed class PasswordResetRequest
{
    public long Id { get; set; }
    /// <summary>SHA-256 of the normalized address: enough to count, without keeping a list of probed addresses.</summary>
    public required byte[] EmailHash { get; set; }
    public string? ClientIp { get; set; }
    public DateTime RequestedAt { get; set; }
}
