using Heron.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Heron.Web.ApiKeys;

/// <summary>
/// Reads the lifecycle events that any instance sharing the database wrote and applies them to this
/// instance's <see cref="ApiKeyDirectory"/>, so a key deactivated or deleted elsewhere stops working here
/// within one poll interval. Event ids are the feed's cursor; an id skipped because its transaction had
/// not committed yet (possible on SQL Server) is looked for again for a while.
/// </summary>
public sealed class ApiKeyChangeFeed(
    IServiceScopeFactory scopes, ApiKeyDirectory directory, IOptions<ApiKeyOptions> options, TimeProvider clock,
    ILogger<ApiKeyChangeFeed> logger, Metrics.HeronMetrics? metrics = null) : BackgroundService
{
    private static readonly TimeSpan HoleLifetime = TimeSpan.FromSeconds(30);
    private readonly Dictionary<long, long> _holes = new();
    private long _cursor = -1;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ChangePollInterval, clock);
        try
        {
            await LoadDirectoryAsync(timer, stoppingToken);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await PollAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(ex, "Could not read API key changes; keys keep their last known state until the next poll");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// The cursor first, then every live key, then the events since the cursor: whatever changed while the
    /// keys were read is applied on top. Requests wait for this (and readiness says so); a failure is retried.
    /// </summary>
    private async Task LoadDirectoryAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                var started = clock.GetTimestamp();
                _cursor = -1;
                await PollAsync(stoppingToken);
                await directory.LoadAllAsync(_cursor, stoppingToken);
                await PollAsync(stoppingToken);
                directory.MarkLoaded();
                logger.LogInformation("Loaded {KeyCount} API keys into memory in {ElapsedMs:0} ms",
                    directory.Count, clock.GetElapsedTime(started).TotalMilliseconds);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Could not load the API keys into memory; it will try again");
            }
            await timer.WaitForNextTickAsync(stoppingToken);
        }
    }

    internal async Task PollAsync(CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        await PollOnceAsync(cancellationToken);
        metrics?.ChangeFeedRead(started);
    }

    private async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeronDbContext>();
        if (_cursor < 0)
        {
            // The directory is loaded with the keys' current state, so history before that is not needed.
            _cursor = await db.ApiKeyEvents.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
            return;
        }

        var holes = _holes.Keys.ToList();
        var changes = await db.ApiKeyEvents.AsNoTracking()
            .Where(e => e.Id > _cursor || holes.Contains(e.Id))
            .OrderBy(e => e.Id)
            .Select(e => new { e.Id, e.ApiKeyId, e.Kind, e.ApiKey.TokenHash, e.ApiKey.ExpiresAt })
            .Take(1000)
            .ToListAsync(cancellationToken);

        var now = clock.GetTimestamp();
        foreach (var change in changes)
        {
            _holes.Remove(change.Id);
            for (var skipped = _cursor + 1; skipped < change.Id; skipped++)
            {
                _holes[skipped] = now;
            }
            _cursor = Math.Max(_cursor, change.Id);
            if (change.Kind == ApiKeyEventKind.Expired)
            {
                // Every instance already refuses the key from its expiry on: the event is for the audit trail.
                continue;
            }
            if (change.Kind == ApiKeyEventKind.Rolled)
            {
                // A roll leaves the state alone and brings the expiry forward (only ever forward, so the current one will do).
                directory.ApplyExpiry(change.TokenHash, change.ExpiresAt!.Value);
                continue;
            }
            directory.Apply(change.TokenHash, change.ApiKeyId, StateAfter(change.Kind), change.Id);
        }
        foreach (var (id, seen) in _holes.Where(h => clock.GetElapsedTime(h.Value) > HoleLifetime).ToList())
        {
            _holes.Remove(id);
        }
    }

    internal static ApiKeyState StateAfter(ApiKeyEventKind kind) => kind switch
    {
        ApiKeyEventKind.Created or ApiKeyEventKind.Reactivated => ApiKeyState.Active,
        ApiKeyEventKind.Deactivated => ApiKeyState.Deactivated,
        ApiKeyEventKind.Deleted => ApiKeyState.Deleted,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
