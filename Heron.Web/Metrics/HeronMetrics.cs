using System.Diagnostics.Metrics;
using Heron.Web.ApiKeys;
using Heron.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.Metrics;

/// <summary>
/// Heron's own instruments, on the meter <c>Heron</c>. On the request path only counters are touched, with
/// tags built once (a tag array per refusal reason), so counting costs no allocation.
/// </summary>
public sealed class HeronMetrics
{
    public const string MeterName = "Heron";

    private static readonly KeyValuePair<string, object?> Accepted = new("outcome", "accepted");
    private static readonly KeyValuePair<string, object?> Refused = new("outcome", "refused");
    private static readonly KeyValuePair<string, object?> Valid = new("reason", "valid");
    private static readonly KeyValuePair<string, object?>[] Reasons =
        ApiKeyRejection.ByReason(reason => new KeyValuePair<string, object?>("reason", new ApiKeyRejection(reason, null).Code));
    private static readonly KeyValuePair<string, object?>[] ThrottleScopes =
        [new("scope", "customer"), new("scope", "anonymous"), new("scope", "refused_keys")];
    private static readonly KeyValuePair<string, object?> GaveUp = new("final", true);
    private static readonly KeyValuePair<string, object?> WillRetry = new("final", false);

    private readonly Counter<long> _verified;
    private readonly Counter<long> _throttled;
    private readonly Counter<long> _folded;
    private readonly Counter<long> _deliveryFailures;
    private readonly Histogram<double> _flushDuration;
    private readonly TimeProvider _clock;
    private long _lastFeedPoll;

    public HeronMetrics(IMeterFactory meters, ApiKeyDirectory directory, IServiceScopeFactory scopes, TimeProvider clock)
    {
        _clock = clock;
        _lastFeedPoll = clock.GetTimestamp();
        var meter = meters.Create(MeterName);
        _verified = meter.CreateCounter<long>("heron_api_keys_verified", "{request}",
            "Requests whose x-api-key was checked, by outcome (accepted, refused) and reason (valid, or why it was refused).");
        _throttled = meter.CreateCounter<long>("heron_rate_limit_throttled", "{request}",
            "Requests answered 429, by scope: a customer's quota, an anonymous endpoint's per-address limit, or refused keys per address.");
        _folded = meter.CreateCounter<long>("heron_rejection_events_folded", "{refusal}",
            "Refusals logged folded into a counted event rather than one event each.");
        _deliveryFailures = meter.CreateCounter<long>("heron_outbox_delivery_failures", "{attempt}",
            "Email delivery attempts that failed; final=true when the message was given up on.");
        _flushDuration = meter.CreateHistogram<double>("heron_last_used_flush_duration", "s",
            "How long writing the buffered last_used times and refusal counts took.", tags: null,
            // Seconds, from a millisecond to ten: the exporter's default boundaries are for milliseconds.
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        meter.CreateObservableGauge("heron_api_key_change_feed_lag", () => _clock.GetElapsedTime(Interlocked.Read(ref _lastFeedPoll)).TotalSeconds, "s",
            "Time since this instance last read the key change feed successfully: how stale its keys' states can be.");
        meter.CreateObservableGauge("heron_api_keys_in_memory", () => directory.Count, "{key}",
            "Keys whose hash this instance holds in memory.");
        meter.CreateObservableCounter("heron_api_key_database_lookups", () => directory.DatabaseLookups, "{query}",
            "Tokens read from the database: live keys' first use on this instance, and bounded rechecks of unknown tokens.");
        meter.CreateObservableGauge("heron_outbox_queue_depth", () => QueueDepth(scopes), "{message}",
            "Emails waiting in the outbox (neither sent nor given up on).");
    }

    public void KeyAccepted() => _verified.Add(1, Accepted, Valid);

    public void KeyRefused(RejectionReason reason) => _verified.Add(1, Refused, Reasons[(int)reason]);

    public void Throttled(ThrottleScope scope) => _throttled.Add(1, ThrottleScopes[(int)scope]);

    public void RefusalsFolded(int count) => _folded.Add(count);

    public void DeliveryFailed(bool final) => _deliveryFailures.Add(1, final ? GaveUp : WillRetry);

    public void LastUsedFlushed(TimeSpan duration) => _flushDuration.Record(duration.TotalSeconds);

    public void ChangeFeedRead(long startedAt) => Interlocked.Exchange(ref _lastFeedPoll, startedAt);

    /// <summary>Counted when scraped (every few seconds), not kept current on every enqueue and delivery.</summary>
    private static IEnumerable<Measurement<long>> QueueDepth(IServiceScopeFactory scopes)
    {
        long depth;
        try
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<HeronDbContext>();
            depth = db.OutboxMessages.LongCount(m => m.SentAt == null && m.FailedAt == null);
        }
        catch (Exception)
        {
            // The database is unreachable: readiness says so; the gauge is left out of this collection.
            return [];
        }
        return [new Measurement<long>(depth)];
    }
}

public enum ThrottleScope
{
    Customer,
    Anonymous,
    RefusedKeys,
}
