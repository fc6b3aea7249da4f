namespace Heron.Web.RateLimiting;

/// <summary>The <c>RateLimiting</c> configuration section.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Requests per window, per organization and realm, per endpoint.</summary>
    public int PermitLimit { get; set; } = 100;
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Rejected (401) requests per client address per window, counted apart from any customer's quota.</summary>
    public int RejectedPermitLimit { get; set; } = 600;

    /// <summary>
    /// A StackExchange.Redis connection string: customers' windows are then counted across every instance.
    /// Unset, each instance counts its own requests.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>How often an instance adds its local counts to Redis and reads back the totals.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Per-organization overrides, by slug: <c>RateLimiting:Organizations:acme:PermitLimit</c>.</summary>
    public Dictionary<string, OrganizationLimit> Organizations { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public sealed class OrganizationLimit
    {
        public int? PermitLimit { get; set; }
        public TimeSpan? Window { get; set; }
    }
}
