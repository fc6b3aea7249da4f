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
