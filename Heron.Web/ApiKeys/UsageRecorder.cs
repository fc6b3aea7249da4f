using System.Collections.Concurrent;
using Heron.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.ApiKeys;

/// <summary>
/// Counts each key's accepted and refused requests per minute in memory, so a request costs no database
/// write; <see cref="UsageFlusher"/> adds the counts into <see cref="ApiKeyUsageBucket"/> rows every few
/// seconds and at shutdown. Adding (never overwriting) is what keeps the rows right when several
/// instances count the same key and minute.
/// </summary>
public sealed class UsageRecorder(IServiceScopeFactory scopes, TimeProvider clock, ILogger<UsageRecorder> logger)
{
    private readonly ConcurrentDictionary<(int KeyId, long Minute), UsageCell> _cells = new();
    private readonly SemaphoreSlim _flushing = new(1, 1);

    public void Accepted(int keyId) => Interlocked.Increment(ref Cell(keyId).AcceptedCount);

    public void Rejected(int keyId) => Interlocked.Increment(ref Cell(keyId).RejectedCount);

    private UsageCell Cell(int keyId) =>
        _cells.GetOrAdd((keyId, clock.GetUtcNow().UtcTicks / TimeSpan.TicksPerMinute), static _ => new UsageCell());

    /// <summary>
    /// Runs a read of the database plus <see cref="Pending"/> between flushes: during one, counts taken from
    /// memory may not be in the database yet, and the chart would dip.
    /// </summary>
    public async Task<T> BetweenFlushesAsync<T>(Func<Task<T>> read, CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            return await read();
        }
        finally
        {
            _flushing.Release();
        }
    }

    /// <summary>Counts not yet written for one key, by minute start: so a chart is current to the request.</summary>
    public Dictionary<DateTime, (long Accepted, long Rejected)> Pending(int keyId) =>
        _cells.Where(c => c.Key.KeyId == keyId)
            .ToDictionary(c => new DateTime(c.Key.Minute * TimeSpan.TicksPerMinute, DateTimeKind.Utc),
                c => (Volatile.Read(ref c.Value.AcceptedCount), Volatile.Read(ref c.Value.RejectedCount)));

    /// <summary>
    /// Takes each cell's counts (leaving zero for requests counted meanwhile) and adds them to the database;
    /// what could not be written is put back for the next flush. Cells of minutes that have ended are dropped
    /// once empty.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            var currentMinute = clock.GetUtcNow().UtcTicks / TimeSpan.TicksPerMinute;
            var taken = new List<((int KeyId, long Minute) Key, UsageCell Cell, long Accepted, long Rejected)>();
            foreach (var (key, cell) in _cells)
            {
                var accepted = Interlocked.Exchange(ref cell.AcceptedCount, 0);
                var rejected = Interlocked.Exchange(ref cell.RejectedCount, 0);
                if (accepted != 0 || rejected != 0)
                {
                    taken.Add((key, cell, accepted, rejected));
                }
                else if (key.Minute < currentMinute - 1)
                {
                    // Two minutes on, no request still computes this minute.
                    _cells.TryRemove(KeyValuePair.Create(key, cell));
                }
            }
            if (taken.Count == 0)
            {
                // Nothing to write, so no database: a host stopped twice (WebApplicationFactory and the app's
                // own RunAsync both stop it) runs the second shutdown flush after the container is disposed.
                return;
            }
            var written = 0;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<HeronDbContext>();
                foreach (var (key, _, accepted, rejected) in taken)
                {
                    await AddAsync(db, key.KeyId, new DateTime(key.Minute * TimeSpan.TicksPerMinute, DateTimeKind.Utc), accepted, rejected, cancellationToken);
                    written++;
                }
            }
            catch (Exception ex)
            {
                foreach (var (key, _, accepted, rejected) in taken.Skip(written))
                {
                    var cell = _cells.GetOrAdd(key, static _ => new UsageCell());
                    Interlocked.Add(ref cell.AcceptedCount, accepted);
                    Interlocked.Add(ref cell.RejectedCount, rejected);
                }
                logger.LogError(ex, "Could not write usage counts for {BucketCount} key-minutes; will retry", taken.Count - written);
                throw;
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    /// <summary>
    /// Adds to the row, creating it when there is none. When another instance creates it first, the insert
    /// fails on the primary key and the addition is made to its row instead.
    /// </summary>
    private static async Task AddAsync(HeronDbContext db, int keyId, DateTime start, long accepted, long rejected, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var updated = await db.ApiKeyUsageBuckets.Where(b => b.ApiKeyId == keyId && b.Start == start)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(b => b.Accepted, b => b.Accepted + accepted)
                    .SetProperty(b => b.Rejected, b => b.Rejected + rejected), cancellationToken);
            if (updated > 0)
            {
                return;
            }
            var row = db.ApiKeyUsageBuckets.Add(new ApiKeyUsageBucket { ApiKeyId = keyId, Start = start, Accepted = accepted, Rejected = rejected });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                row.State = EntityState.Detached;
            }
        }
    }

    /// <summary>Deletes buckets older than the retention period; returns how many.</summary>
    public async Task<int> PruneAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow().UtcDateTime - retention;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeronDbContext>();
        return await db.ApiKeyUsageBuckets.Where(b => b.Start < cutoff).ExecuteDeleteAsync(cancellationToken);
    }
}

internal sealed class UsageCell
{
    public long AcceptedCount;
    public long RejectedCount;
}
