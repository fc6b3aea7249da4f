using Heron.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.ApiKeys;

public enum UsageInterval
{
    Minute,
    Hour,
}

public sealed record UsageBucket(DateTime Start, long Accepted, long Rejected);

/// <summary>A key's usage as a chart shows it: the last 60 minutes per minute, or the last 7 days per hour, every bucket present.</summary>
public sealed class KeyUsageService(HeronDbContext db, UsageRecorder recorder, TimeProvider clock)
{
    public const int MinuteBuckets = 60;
    public const int HourBuckets = 7 * 24;

    public Task<List<UsageBucket>> GetAsync(int keyId, UsageInterval interval, CancellationToken cancellationToken) =>
        recorder.BetweenFlushesAsync(() => ReadAsync(keyId, interval, cancellationToken), cancellationToken);

    private async Task<List<UsageBucket>> ReadAsync(int keyId, UsageInterval interval, CancellationToken cancellationToken)
    {
        var (step, count) = interval == UsageInterval.Minute
            ? (TimeSpan.TicksPerMinute, MinuteBuckets)
            : (TimeSpan.TicksPerHour, HourBuckets);
        var now = clock.GetUtcNow().UtcTicks;
        var first = new DateTime((now / step - (count - 1)) * step, DateTimeKind.Utc);

        var rows = await db.ApiKeyUsageBuckets.AsNoTracking()
            .Where(b => b.ApiKeyId == keyId && b.Start >= first)
            .Select(b => new { b.Start, b.Accepted, b.Rejected })
            .ToListAsync(cancellationToken);
        var sums = new (long Accepted, long Rejected)[count];
        void Add(DateTime start, long accepted, long rejected)
        {
            var index = (int)((start.Ticks - first.Ticks) / step);
            if (index >= 0 && index < count)
            {
                sums[index] = (sums[index].Accepted + accepted, sums[index].Rejected + rejected);
            }
        }
        foreach (var row in rows)
        {
            Add(row.Start, row.Accepted, row.Rejected);
        }
        // Counted here but not flushed yet: the chart is current to this request.
        foreach (var (start, (accepted, rejected)) in recorder.Pending(keyId))
        {
            Add(start, accepted, rejected);
        }
        return sums.Select((s, i) => new UsageBucket(first.AddTicks(i * step), s.Accepted, s.Rejected)).ToList();
    }

    /// <summary>The last 24 hours per hour (accepted + rejected) for each key: one query for a whole page of keys.</summary>
    public Task<Dictionary<int, long[]>> LastDayAsync(IReadOnlyCollection<int> keyIds, CancellationToken cancellationToken) =>
        recorder.BetweenFlushesAsync(() => ReadLastDayAsync(keyIds, cancellationToken), cancellationToken);

    private async Task<Dictionary<int, long[]>> ReadLastDayAsync(IReadOnlyCollection<int> keyIds, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcTicks;
        var first = new DateTime((now / TimeSpan.TicksPerHour - 23) * TimeSpan.TicksPerHour, DateTimeKind.Utc);
        var rows = await db.ApiKeyUsageBuckets.AsNoTracking()
            .Where(b => keyIds.Contains(b.ApiKeyId) && b.Start >= first)
            .Select(b => new { b.ApiKeyId, b.Start, Total = b.Accepted + b.Rejected })
            .ToListAsync(cancellationToken);
        var result = keyIds.ToDictionary(id => id, _ => new long[24]);
        void Add(int keyId, DateTime start, long total)
        {
            var index = (int)((start.Ticks - first.Ticks) / TimeSpan.TicksPerHour);
            if (index is >= 0 and < 24)
            {
                result[keyId][index] += total;
            }
        }
        foreach (var row in rows)
        {
            Add(row.ApiKeyId, row.Start, row.Total);
        }
        foreach (var keyId in keyIds)
        {
            foreach (var (start, (accepted, rejected)) in recorder.Pending(keyId))
            {
                Add(keyId, start, accepted + rejected);
            }
        }
        return result;
    }
}
