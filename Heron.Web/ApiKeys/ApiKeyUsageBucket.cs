namespace Heron.Web.ApiKeys;

/// <summary>
/// The requests one key made in one minute: accepted, and refused after the key was recognised
/// (deactivated, expired, outside its allowlist or scopes). Hourly figures are sums of these.
/// </summary>
public sealed class ApiKeyUsageBucket
{
    public int ApiKeyId { get; set; }
    /// <summary>The minute's first instant, UTC.</summary>
    public DateTime Start { get; set; }
    public long Accepted { get; set; }
    public long Rejected { get; set; }
}
