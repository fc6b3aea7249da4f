using System.Collections.Concurrent;
using Heron.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Heron.Web.ApiKeys;

/// <summary>
/// Buffers each key's most recent use, and the requests refused because a key is deactivated, in
/// memory so a request costs no database write; <see cref="LastUsedFlusher"/> writes the buffer every
/// few seconds and on shutdown.
/// </summary>
public sealed class LastUsedRecorder(IServiceScopeFactory scopes, ILogger<LastUsedRecorder> logger)
{
    // One cell per key used on this instance, holding the UTC ticks of its latest use not yet written (0: none).
    // A use is a lock-free compare-and-swap on the key's cell: ConcurrentDictionary's AddOrUpdate takes a bucket
    // lock, and every request with the same key contended for it. Cells are never removed, so a use can never land
    // in a cell the flush has dropped; there is one per key this instance has seen used (deleted keys' included),
    // and a flush walks them all: a few microseconds for thousands of keys, every few seconds.
    private readonly ConcurrentDictionary<int, UseCell> _pending = new();
    private readonly ConcurrentDictionary<int, (int Count, DateTime Last)> _rejections = new();

    public void RecordRejection(int keyId, DateTime at) => AddRejections(keyId, (1, at));

    private void AddRejections(int keyId, (int Count, DateTime Last) more) =>
        _rejections.AddOrUpdate(keyId, static (_, more) => more,
            static (_, previous, more) => (previous.Count + more.Count, more.Last > previous.Last ? more.Last : previous.Last), more);

    /// <summary>Refusals of a deactivated key not yet written.</summary>
    public (int Count, DateTime Last)? PendingRejections(int keyId) => _rejections.TryGetValue(keyId, out var r) ? r : null;

    // GetOrAdd looks the key up without a lock first; the factory only runs for a key's first use.
    public void Record(int keyId, DateTime usedAt) => _pending.GetOrAdd(keyId, static _ => new UseCell()).MoveForward(usedAt.Ticks);

    /// <summary>A use not yet written, so lists are current before the next flush.</summary>
    public DateTime? Pending(int keyId) =>
        _pending.TryGetValue(keyId, out var cell) && cell.Ticks is var ticks and not 0 ? new DateTime(ticks, DateTimeKind.Utc) : null;

    private readonly SemaphoreSlim _flushing = new(1, 1);
    private int _flushesStarted;

    /// <summary>How many flushes have begun (tests wait on it).</summary>
    internal int FlushesStarted => Volatile.Read(ref _flushesStarted);

    /// <summary>
    /// Writes what is buffered. The buffer is copied, not emptied, while the write runs, so a list read
    /// meanwhile still sees every use; afterwards only what was written is forgotten: a use recorded during
    /// the write (a later time) and refusals counted during it stay for the next flush. On failure nothing
    /// has been forgotten. Flushes run one at a time.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            var uses = PendingUses();
            var rejections = _rejections.ToArray();
            // After the snapshot: a test that waits for this and then records a use knows the use is not in it.
            Interlocked.Increment(ref _flushesStarted);
            if (uses.Length == 0 && rejections.Length == 0)
            {
                return;
            }
            try
            {
                await WriteAsync(uses, rejections, cancellationToken);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Could not write last-used times for {KeyCount} API keys; will retry", uses.Length + rejections.Length);
                throw;
            }
            foreach (var (keyId, ticks) in uses)
            {
                _pending[keyId].Forget(ticks); // only if no later use replaced it meanwhile
            }
            foreach (var (keyId, (count, _)) in rejections)
            {
                ForgetWrittenRejections(keyId, count);
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    private KeyValuePair<int, long>[] PendingUses()
    {
        var uses = new List<KeyValuePair<int, long>>();
        foreach (var (keyId, cell) in _pending)
        {
            if (cell.Ticks is var ticks and not 0)
            {
                uses.Add(KeyValuePair.Create(keyId, ticks));
            }
        }
        return [.. uses];
    }

    private async Task WriteAsync(KeyValuePair<int, long>[] uses, KeyValuePair<int, (int Count, DateTime Last)>[] rejections,
        CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeronDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var (keyId, ticks) in uses)
        {
            var usedAt = new DateTime(ticks, DateTimeKind.Utc);
            await db.ApiKeys
                .Where(k => k.Id == keyId && (k.LastUsedAt == null || k.LastUsedAt < usedAt))
                .ExecuteUpdateAsync(set => set.SetProperty(k => k.LastUsedAt, usedAt), cancellationToken);
        }
        foreach (var (keyId, (count, last)) in rejections)
        {
            await db.ApiKeys
                .Where(k => k.Id == keyId && !k.IsActive)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(k => k.RejectedSinceDeactivation, k => k.RejectedSinceDeactivation + count)
                    .SetProperty(k => k.LastRejectedAt, last), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Takes the written refusals off the buffered count, keeping those counted during the write.</summary>
    private void ForgetWrittenRejections(int keyId, int written)
    {
        while (_rejections.TryGetValue(keyId, out var current))
        {
            var forgotten = current.Count <= written
                ? _rejections.TryRemove(KeyValuePair.Create(keyId, current))
                : _rejections.TryUpdate(keyId, (current.Count - written, current.Last), current);
            if (forgotten)
            {
                return;
            }
        }
    }
}

/// <summary>The latest use of one key not yet written, as UTC ticks; 0 when there is none. Only ever moves forward until written.</summary>
internal sealed class UseCell
{
    private long _ticks;

    public long Ticks => Volatile.Read(ref _ticks);

    public void MoveForward(long ticks)
    {
        var seen = Volatile.Read(ref _ticks);
        while (ticks > seen)
        {
            var previous = Interlocked.CompareExchange(ref _ticks, ticks, seen);
            if (previous == seen)
            {
                return;
            }
            seen = previous;
        }
    }

    /// <summary>Clears the cell once <paramref name="written"/> is in the database, unless a later use replaced it.</summary>
    public void Forget(long written) => Interlocked.CompareExchange(ref _ticks, 0, written);
}

public sealed class LastUsedFlusher(
    LastUsedRecorder recorder, IOptions<ApiKeyOptions> options, TimeProvider clock, Metrics.HeronMetrics? metrics = null) : BackgroundService
{
    private readonly Lock _gate = new();
    private Task? _finalFlush;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LastUsedFlushInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushQuietlyAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // The last uses since the previous tick are written before the process exits, by one flush that every
        // caller waits for: a host can be stopped twice at once (WebApplicationFactory's dispose and the app's
        // own RunAsync both stop it), and each caller disposes the services once its stop returns.
        Task finalFlush;
        lock (_gate)
        {
            finalFlush = _finalFlush ??= recorder.FlushAsync(cancellationToken);
        }
        await finalFlush;
    }

    private async Task FlushQuietlyAsync(CancellationToken cancellationToken)
    {
        try
        {
            var started = clock.GetTimestamp();
            await recorder.FlushAsync(cancellationToken);
            metrics?.LastUsedFlushed(clock.GetElapsedTime(started));
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Logged by the recorder; the next tick retries.
        }
    }
}
