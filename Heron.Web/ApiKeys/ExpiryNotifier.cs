using Heron.Web.Audit;
using Heron.Web.Data;
using Heron.Web.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Heron.Web.ApiKeys;

/// <summary>
/// What Heron says about a key's expiry: an email to the realm's users 7 days and 1 day before it (through
/// the outbox), and an "expired" event in the audit trail when it comes. Each notice is claimed with one
/// conditional update in the transaction that writes it, so however many instances look, it is written once.
/// A reminder goes only where it helps: to an active key that was not rolled (a rolled key's end is the
/// grace period its owner chose), and only if the key was made to live longer than the reminder's lead
/// (a key made to last 3 days gets the 1-day reminder, not one on the day it was created).
/// </summary>
public sealed class ExpiryNotifier(HeronDbContext db, EmailOutbox outbox, TimeProvider clock)
{
    private const int Batch = 200;

    private static readonly (ExpiryNotices Notice, TimeSpan Lead)[] Reminders =
        [(ExpiryNotices.OneDay, TimeSpan.FromDays(1)), (ExpiryNotices.SevenDays, TimeSpan.FromDays(7))];

    /// <summary>Writes every notice now due; returns how many keys it wrote one for.</summary>
    public async Task<int> NotifyAsync(CancellationToken cancellationToken)
    {
        var written = 0;
        while (true)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var (week, day) = (now.AddDays(7), now.AddDays(1));
            var due = await db.ApiKeys.AsNoTracking()
                .Where(k => k.DeletedAt == null && k.ExpiresAt != null && (
                    (k.ExpiresAt <= week && (k.ExpiryNotices & ExpiryNotices.SevenDays) == 0)
                    || (k.ExpiresAt <= day && (k.ExpiryNotices & ExpiryNotices.OneDay) == 0)
                    || (k.ExpiresAt <= now && (k.ExpiryNotices & ExpiryNotices.Expired) == 0)))
                .OrderBy(k => k.ExpiresAt).ThenBy(k => k.Id)
                .Take(Batch)
                .Select(k => new DueKey(k.Id, k.RealmId, k.Name, k.TokenPrefix, k.HeronId, k.CreatedAt, k.ExpiresAt!.Value, k.IsActive,
                    k.ExpiryNotices, db.ApiKeyEvents.Any(e => e.ApiKeyId == k.Id && e.Kind == ApiKeyEventKind.Rolled)))
                .ToListAsync(cancellationToken);
            foreach (var key in due)
            {
                written += await NotifyAsync(key, now, cancellationToken) ? 1 : 0;
            }
            if (due.Count < Batch)
            {
                return written;
            }
        }
    }

    private async Task<bool> NotifyAsync(DueKey key, DateTime now, CancellationToken cancellationToken)
    {
        // Every notice whose time has come is claimed at once, sent or not, so a key is never looked at again
        // for it; only the latest one that applies is written (a key found a day before expiry gets no 7-day reminder).
        var claimed = key.Notices;
        if (key.ExpiresAt <= now)
        {
            claimed |= ExpiryNotices.Expired | ExpiryNotices.OneDay | ExpiryNotices.SevenDays;
        }
        foreach (var (notice, lead) in Reminders)
        {
            if (key.ExpiresAt - lead <= now)
            {
                claimed |= notice;
            }
        }
        var fresh = claimed & ~key.Notices;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var won = await db.ApiKeys.Where(k => k.Id == key.Id && k.ExpiryNotices == key.Notices)
            .ExecuteUpdateAsync(set => set.SetProperty(k => k.ExpiryNotices, claimed), cancellationToken);
        if (won == 0)
        {
            return false;   // another instance claimed it first, or the key changed: the next pass sees it as it is now
        }

        var remind = false;
        if (!fresh.HasFlag(ExpiryNotices.Expired) && key.IsActive && !key.Rolled)
        {
            remind = Reminders.Any(r => fresh.HasFlag(r.Notice) && key.ExpiresAt - key.CreatedAt > r.Lead);
        }
        if (remind)
        {
            var users = await db.Users.Where(u => u.RealmId == key.RealmId && u.PasswordHash != null && u.Email != null)
                .ToListAsync(cancellationToken);
            foreach (var user in users)
            {
                outbox.Add(EmailKind.ApiKeyExpiring, user, new MessageFacts(key.ExpiresAt, null, null, $"“{key.Name}” ({key.TokenPrefix}…)", key.HeronId));
            }
        }
        if (fresh.HasFlag(ExpiryNotices.Expired))
        {
            db.ApiKeyEvents.Add(new ApiKeyEvent
            {
                ApiKeyId = key.Id,
                RealmId = key.RealmId,
                Kind = ApiKeyEventKind.Expired,
                ActorKind = Actor.Heron.Kind,
                ActorName = Actor.Heron.Name,
                OccurredAt = key.ExpiresAt,
            });
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (remind)
        {
            outbox.Notify();
        }
        return true;
    }

    private sealed record DueKey(int Id, int RealmId, string Name, string TokenPrefix, string HeronId, DateTime CreatedAt, DateTime ExpiresAt,
        bool IsActive, ExpiryNotices Notices, bool Rolled);
}

/// <summary>Runs the <see cref="ExpiryNotifier"/> every <c>ApiKeys:ExpiryCheckInterval</c> (a minute).</summary>
public sealed class ExpiryNotifierService(IServiceScopeFactory scopes, IOptions<ApiKeyOptions> options, TimeProvider clock,
    ILogger<ExpiryNotifierService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ExpiryCheckInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<ExpiryNotifier>().NotifyAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(ex, "Could not write API key expiry notices; trying again in {Interval}", options.Value.ExpiryCheckInterval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
