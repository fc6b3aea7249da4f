using Heron.Web.Audit;
using Heron.Web.Common;
using Heron.Web.Data;
using Heron.Web.Email;
using Heron.Web.Organizations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.Accounts;

/// <summary>Invitations to a realm: a pending account, an emailed single-use link, and the first password set through it.</summary>
public sealed class InvitationService(
    HeronDbContext db,
    UserManager<HeronUser> users,
    AccountService accounts,
    KnownBrowserTracker browsers,
    EmailOutbox outbox,
    AuditTrail audit,
    TimeProvider clock)
{
    /// <summary>An address is invited to a realm at most this often, so Heron cannot be made to mail someone over and over.</summary>
    public static readonly TimeSpan ResendInterval = TimeSpan.FromMinutes(10);

    /// <summary>Invitations one realm may send per hour, whatever the addresses.</summary>
    public const int PerRealmPerHour = 50;

    /// <summary>
    /// Invites <paramref name="email"/> to <paramref name="realm"/>: a pending account (no password yet) and an
    /// email with a single-use link to set one. An invitation that was never accepted is sent again.
    /// </summary>
    public async Task<HeronUser> InviteAsync(Realm realm, string email, Actor actor, CancellationToken cancellationToken)
    {
        var address = EmailAddress.Normalize(email) ?? throw new HeronRuleException($"'{email}' is not an email address.");
        var normalized = users.NormalizeEmail(address);
        var user = await db.Users.SingleOrDefaultAsync(u => u.RealmId == realm.Id && u.NormalizedEmail == normalized, cancellationToken);
        if (user is { PasswordHash: not null })
        {
            throw new HeronRuleException($"{address} already has an account in {realm.Username}.");
        }
        await RefuseTooSoonAsync(realm, address, cancellationToken);
        user ??= await accounts.CreateAccountAsync(realm, address, password: null);
        audit.Add(realm.Id, AuditEventKind.InvitationSent, actor, address);
        outbox.Add(EmailKind.Invitation, user);
        await db.SaveChangesAsync(cancellationToken);
        outbox.Notify();
        return user;
    }

    /// <summary>Counted from the audit trail, which records every invitation sent (and is never pruned).</summary>
    private async Task RefuseTooSoonAsync(Realm realm, string address, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now - ResendInterval;
        var sent = db.AuditEvents.Where(e => e.RealmId == realm.Id && e.Kind == AuditEventKind.InvitationSent);
        var last = await sent.Where(e => e.Detail == address && e.OccurredAt > since)
            .OrderByDescending(e => e.OccurredAt).Select(e => (DateTime?)e.OccurredAt).FirstOrDefaultAsync(cancellationToken);
        if (last is { } at)
        {
            throw new HeronRuleException(
                $"An invitation was sent to {address} at {at:HH:mm} UTC. You can send it again after {at + ResendInterval:HH:mm} UTC.");
        }
        var hourAgo = now.AddHours(-1);
        if (await sent.CountAsync(e => e.OccurredAt > hourAgo, cancellationToken) >= PerRealmPerHour)
        {
            throw new HeronRuleException($"This team has sent {PerRealmPerHour} invitations in the last hour. Try again later.");
        }
    }

    /// <summary>Invites <paramref name="email"/> to the realm a signed-in member acts in.</summary>
    public async Task<HeronUser> InviteAsync(int realmId, string email, Actor actor, CancellationToken cancellationToken)
    {
        var realm = await db.Realms.Include(r => r.Organization).SingleAsync(r => r.Id == realmId, cancellationToken);
        return await InviteAsync(realm, email, actor, cancellationToken);
    }

    public async Task<HeronUser?> FindAsync(string? userId, string? token)
    {
        var user = userId is null ? null : await users.FindByIdAsync(userId);
        return user is not null && token is not null && user.PasswordHash is null
               && await InvitationTokenProvider.VerifyAsync(users, user, token)
            ? user
            : null;
    }

    /// <summary>Sets the first password of an invited account; the link stops working because the stamp changes.</summary>
    public async Task<IdentityResult> AcceptAsync(HttpContext http, HeronUser user, string password)
    {
        var result = await users.AddPasswordAsync(user, password);
        if (result.Succeeded)
        {
            user.EmailConfirmed = true;
            audit.Add(user.RealmId, AuditEventKind.InvitationAccepted, AccountActivity.ActorOf(http, user));
            await users.UpdateAsync(user);
            await browsers.RememberAsync(http, user);
        }
        return result;
    }
}
