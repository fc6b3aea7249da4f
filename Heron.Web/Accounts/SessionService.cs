using Heron.Web.Audit;
using Heron.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.Accounts;

/// <summary>An account's dashboard sessions: the list on Settings → Security, and ending them.</summary>
public sealed class SessionService(HeronDbContext db, AuditTrail audit, TimeProvider clock)
{
    /// <summary>The account's live sessions, most recently used first.</summary>
    public Task<List<DashboardSession>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.DashboardSessions.AsNoTracking()
            .Where(s => s.UserId == userId && s.ExpiresAt > now)
            .OrderByDescending(s => s.LastSeenAt).ThenByDescending(s => s.Id)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Ends one of the account's sessions; false when it has none by that id.</summary>
    public async Task<bool> EndAsync(string userId, long sessionId, CancellationToken cancellationToken) =>
        await db.DashboardSessions.Where(s => s.UserId == userId && s.Id == sessionId).ExecuteDeleteAsync(cancellationToken) > 0;

    /// <summary>Ends every session of the account except <paramref name="keep"/> (this browser's, or none); returns how many ended.</summary>
    public Task<int> EndAllAsync(string userId, long? keep, CancellationToken cancellationToken) =>
        db.DashboardSessions.Where(s => s.UserId == userId && s.Id != keep).ExecuteDeleteAsync(cancellationToken);

    /// <summary>An operator's "sign out everywhere" for a customer's account, recorded in the customer's audit log.</summary>
    public async Task<int> EndEverywhereAsync(HeronUser user, Actor actor, CancellationToken cancellationToken)
    {
        var ended = await EndAllAsync(user.Id, keep: null, cancellationToken);
        audit.Add(user.RealmId, AuditEventKind.SignedOutEverywhere, actor, user.Email);
        await db.SaveChangesAsync(cancellationToken);
        return ended;
    }
}
