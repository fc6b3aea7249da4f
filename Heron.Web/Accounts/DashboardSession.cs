namespace Heron.Web.Accounts;

/// <summary>
/// A signed-in dashboard session, kept on the server so it can be ended: the browser's cookie carries
/// only a random key whose SHA-256 is <see cref="KeyHash"/>.
/// </summary>
public sealed class DashboardSession
{
    public long Id { get; set; }
    public required byte[] KeyHash { get; set; }
    public required string UserId { get; set; }
    public HeronUser User { get; set; } = null!;
    /// <summary>SHA-256 of the account's security stamp when the session began: anything that changes the stamp ends it.</summary>
    public required byte[] StampHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime LastSeenAt { get; set; }
    /// <summary>The absolute end, whatever the activity.</summary>
    public DateTime ExpiresAt { get; set; }
    public string? ClientIp { get; set; }
    public string? Browser { get; set; }

    public const int BrowserMaxLength = 100;
}
