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
    // Each key's latest use not yet written, as UTC ticks: a long is updated in place, where a DateTime value
    // would make the dictionary allocate a node on every use.
    private readonly ConcurrentDictionary<int, long> _pending = new();
    private readonly ConcurrentDictionary<int, (int Count, DateTime Last)> _rejections = new();

    public void RecordRejection(int keyId, DateTime at) => AddRejections(keyId, (1, at));

    private void AddRejections(int keyId, (int Count, DateTime Last) more) =>
        _rejections.AddOrUpdate(keyId, static (_, more) => more,
            static (_, previous, more) => (previous.Count + more.Count, more.Last > previous.Last ? more.Last : previous.Last), more);

    /// <summary>Refusals of a deactivated key not yet written.</summary>
    public (int Count, DateTime Last)? PendingRejections(int keyId) => _rejections.TryGetValue(keyId, out var r) ? r : null;

    /// <summary>Keeps the later of this use and the one already buffered: requests finish in any order.</summary>
    public void Record(int keyId, DateTime usedAt) =>
        _pending.AddOrUpdate(keyId, static (_, ticks) => ticks, static (_, buffered, ticks) => Math.Max(buffered, ticks), usedAt.Ticks);

    /// <summary>A use not yet written, so lists are current before the next flush.</summary>
    public DateTime? Pending(int keyId) => _pending.TryGetValue(keyId, out var ticks) ? new DateTime(ticks, DateTimeKind.Utc) : null;

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
            var uses = _pending.ToArray();
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
            foreach (var use in uses)
            {
                _pending.TryRemove(use); // only if it still holds the use written: a later one stays for the next flush
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
