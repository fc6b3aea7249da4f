namespace Heron.Web.ApiKeys;

/// <summary>The <c>ApiKeys</c> configuration section.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>How often buffered <c>last_used</c> times are written to the database.</summary>
    public TimeSpan LastUsedFlushInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often an instance reads the key lifecycle events other instances wrote, to deactivate,
    /// reactivate or delete the keys it has cached.
    /// </summary>
    public TimeSpan ChangePollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How many well-formed but unknown tokens an instance remembers, so a flood of them costs no queries.</summary>
    public int UnknownTokenCacheSize { get; set; } = 10_000;

    /// <summary>
    /// Tokens in no instance's memory looked up in the database per second, in case a key was created on
    /// another instance since the last change poll; beyond this they are refused from memory.
    /// </summary>
    public int UnknownTokenLookupsPerSecond { get; set; } = 20;

    /// <summary>
    /// Identical refusals (same status, reason, token prefix and client) logged one by one per second;
    /// beyond this they are folded into one event per second that carries their count.
    /// </summary>
    public int RejectionsLoggedPerSecond { get; set; } = 10;

    /// <summary>How long per-minute usage counts are kept before the hourly prune deletes them.</summary>
    public TimeSpan UsageRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often an instance looks for keys to remind their realm's users of (7 days and 1 day before expiry) and keys that expired.</summary>
    public TimeSpan ExpiryCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often buffered usage counts are added to the database (a request shows in a chart within this).</summary>
    public TimeSpan UsageFlushInterval { get; set; } = TimeSpan.FromSeconds(5);
}
