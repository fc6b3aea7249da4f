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
    // UTC ticks rather than DateTime: a 64-bit value is updated in place, where a struct would cost a new node per use.
    private readonly ConcurrentDictionary<int, long> _pending = new();
    private readonly ConcurrentDictionary<int, (int Count, DateTime Last)> _rejections = new();

    public void RecordRejection(int keyId, DateTime at) => AddRejections(keyId, (1, at));

    private void AddRejections(int keyId, (int Count, DateTime Last) more) =>
        _rejections.AddOrUpdate(keyId, static (_, more) => more,
            static (_, previous, more) => (previous.Count + more.Count, more.Last > previous.Last ? more.Last : previous.Last), more);

    /// <summary>Refusals of a deactivated key not yet written.</summary>
    public (int Count, DateTime Last)? PendingRejections(int keyId) => _rejections.TryGetValue(keyId, out var r) ? r : null;

    public void Record(int keyId, DateTime usedAt) =>
        _pending.AddOrUpdate(keyId, static (_, at) => at, static (_, previous, at) => Math.Max(at, previous), usedAt.Ticks);

    /// <summary>A use not yet written, so lists are current before the next flush.</summary>
    public DateTime? Pending(int keyId) => _pending.TryGetValue(keyId, out var ticks) ? new DateTime(ticks, DateTimeKind.Utc) : null;

    /// <summary>
    /// Takes the buffered entries one by one: a use recorded while the flush runs either is taken or stays
    /// for the next flush, never written into a batch that has already been saved.
    /// </summary>
    private static Dictionary<int, T> Drain<T>(ConcurrentDictionary<int, T> buffer)
    {
        var taken = new Dictionary<int, T>();
        foreach (var keyId in buffer.Keys)
        {
            if (buffer.TryRemove(keyId, out var value))
            {
                taken[keyId] = value;
            }
        }
        return taken;
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var batch = Drain(_pending);
        var rejections = Drain(_rejections);
        if (batch.Count == 0 && rejections.Count == 0)
        {
            return;
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HeronDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var (keyId, ticks) in batch)
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
        catch (Exception ex)
        {
            // Nothing is lost: the batch goes back into the buffer for the next flush.
            foreach (var (keyId, ticks) in batch)
            {
                Record(keyId, new DateTime(ticks, DateTimeKind.Utc));
            }
            foreach (var (keyId, counted) in rejections)
            {
                AddRejections(keyId, counted);
            }
            logger.LogError(ex, "Could not write last-used times for {KeyCount} API keys; will retry", batch.Count + rejections.Count);
            throw;
        }
    }
}

public sealed class LastUsedFlusher(LastUsedRecorder recorder, IOptions<ApiKeyOptions> options, TimeProvider clock) : BackgroundService
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
            await recorder.FlushAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Logged by the recorder; the next tick retries.
        }
    }
}
