using Heron.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Heron.Web.Retention;

/// <summary>
/// Prunes what is only needed for a while: expired password-reset requests, delivered outbox messages,
/// stale known browsers and ended dashboard sessions. Audit events are never pruned. Every instance may
/// run it; the deletes are idempotent.
/// </summary>
public sealed class RetentionJob(IServiceScopeFactory scopes, IOptions<RetentionOptions> options, TimeProvider clock, ILogger<RetentionJob> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        do
        {
            try
            {
                await PruneAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Retention: pruning failed; will try again in {Interval}", options.Value.Interval);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    public async Task PruneAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var retention = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeronDbContext>();
        var resetsBefore = now - retention.PasswordResetRequests;
        var sentBefore = now - retention.DeliveredEmails;
        var seenBefore = now - retention.KnownBrowsers;
        var resets = await db.PasswordResetRequests.Where(r => r.RequestedAt < resetsBefore).ExecuteDeleteAsync(cancellationToken);
        var emails = await db.OutboxMessages.Where(m => m.SentAt != null && m.SentAt < sentBefore).ExecuteDeleteAsync(cancellationToken);
        var browsers = await db.KnownBrowsers.Where(b => b.LastSeenAt < seenBefore).ExecuteDeleteAsync(cancellationToken);
        var sessions = await db.DashboardSessions.Where(s => s.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        if (resets + emails + browsers + sessions > 0)
        {
            logger.LogInformation(
                "Retention: pruned {PasswordResetRequests} reset requests, {DeliveredEmails} delivered emails, {KnownBrowsers} known browsers, {Sessions} ended sessions",
                resets, emails, browsers, sessions);
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
