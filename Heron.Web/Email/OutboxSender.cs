using Heron.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Heron.Web.Email;

/// <summary>
/// Delivers the outbox: at once when a message is written on this instance, and every poll interval
/// for retries and messages written elsewhere. A failed delivery is retried with exponential backoff;
/// a message is leased while being sent and marked sent as soon as the server accepts it.
/// </summary>
public sealed class OutboxSender(
    IServiceScopeFactory scopes, OutboxSignal signal, IMailTransport transport, IOptions<EmailOptions> options,
    TimeProvider clock, ILogger<OutboxSender> logger, Metrics.HeronMetrics? metrics = null) : BackgroundService
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DeliverDueAsync(stoppingToken) > 0)
                {
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Could not read the email outbox");
            }
            await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
        }
    }

    /// <summary>Delivers the messages that are due; returns how many it tried.</summary>
    internal async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeronDbContext>();
        var composer = scope.ServiceProvider.GetRequiredService<EmailComposer>();
        var now = Now();
        var due = await db.OutboxMessages
            .Where(m => m.SentAt == null && m.FailedAt == null && m.NextAttemptAt <= now && (m.LeasedUntil == null || m.LeasedUntil < now))
            .OrderBy(m => m.Id)
            .Take(20)
            .ToListAsync(cancellationToken);

        var tried = 0;
        foreach (var message in due)
        {
            var leaseEnd = Now() + Lease;
            var claimed = await db.OutboxMessages
                .Where(m => m.Id == message.Id && m.SentAt == null && m.FailedAt == null && m.NextAttemptAt <= now
                    && (m.LeasedUntil == null || m.LeasedUntil < now))
                .ExecuteUpdateAsync(set => set.SetProperty(m => m.LeasedUntil, leaseEnd), cancellationToken);
            if (claimed == 0)
            {
                continue; // another instance has it
            }
            tried++;
            await DeliverAsync(db, composer, message, cancellationToken);
        }
        return tried;
    }

    private async Task DeliverAsync(HeronDbContext db, EmailComposer composer, OutboxMessage message, CancellationToken cancellationToken)
    {
        try
        {
            var user = await db.Users.Include(u => u.Realm).ThenInclude(r => r.Organization)
                .SingleOrDefaultAsync(u => u.Id == message.UserId, cancellationToken);
            var mime = user is null ? null : await composer.ComposeAsync(message, user);
            if (mime is not null)
            {
                await transport.SendAsync(mime, cancellationToken);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await ScheduleRetryAsync(db, message, ex);
            return;
        }

        // The server has accepted the message: from here on, nothing may cause it to be sent again.
        try
        {
            await db.OutboxMessages.Where(m => m.Id == message.Id)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(m => m.SentAt, Now())
                    .SetProperty(m => m.LeasedUntil, (DateTime?)null)
                    .SetProperty(m => m.Attempts, m => m.Attempts + 1), CancellationToken.None);
            logger.LogInformation("Delivered {EmailKind} email {OutboxId}{Where}", message.Kind, message.Id,
                transport is PickupDirectoryTransport pickup ? $" to {pickup.Directory}" : "");
        }
        catch (Exception ex)
        {
            // Left leased: it is not picked up again before the lease ends, and an operator can see why.
            logger.LogError(ex, "Delivered {EmailKind} email {OutboxId} but could not record it", message.Kind, message.Id);
        }
    }

    private async Task ScheduleRetryAsync(HeronDbContext db, OutboxMessage message, Exception error)
    {
        var attempts = message.Attempts + 1;
        var giveUp = attempts >= options.Value.MaxAttempts;
        metrics?.DeliveryFailed(giveUp);
        var backoff = TimeSpan.FromTicks((long)Math.Min(options.Value.RetryBaseDelay.Ticks * Math.Pow(2, attempts - 1), MaxBackoff.Ticks));
        await db.OutboxMessages.Where(m => m.Id == message.Id)
            .ExecuteUpdateAsync(set => set
                .SetProperty(m => m.Attempts, m => m.Attempts + 1)
                .SetProperty(m => m.NextAttemptAt, Now() + backoff)
                .SetProperty(m => m.LeasedUntil, (DateTime?)null)
                .SetProperty(m => m.FailedAt, giveUp ? Now() : null)
                .SetProperty(m => m.LastError, error.GetType().Name + ": " + error.Message), CancellationToken.None);
        logger.LogWarning("Could not deliver {EmailKind} email {OutboxId} (attempt {Attempt}): {Error}; {Next}",
            message.Kind, message.Id, attempts, error.Message, giveUp ? "giving up" : $"retrying in {backoff.TotalSeconds:0.#} s");
    }

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;
}

/// <summary>Wakes the sender when this instance writes a message, so mail goes out without waiting for a poll.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _signal.WaitAsync(timeout, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
