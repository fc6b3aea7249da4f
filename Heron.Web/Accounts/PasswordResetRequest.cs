namespace Heron.Web.Accounts;

/// <summary>One "Forgot password?" request, kept to throttle per address and per client.</summary>
public sealed class PasswordResetRequest
{
    public long Id { get; set; }
    /// <summary>SHA-256 of the normalized address: enough to count, without keeping a list of probed addresses.</summary>
    public required byte[] EmailHash { get; set; }
    public string? ClientIp { get; set; }
    public DateTime RequestedAt { get; set; }
}
