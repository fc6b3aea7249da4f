using Heron.Web.Audit;
using Heron.Web.Common;
using Heron.Web.Data;
using Heron.Web.Email;
using Heron.Web.Organizations;
using Heron.Web.TwoFactor;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.Accounts;

public enum SignInOutcome
{
    SignedIn,
    Failed,
    LockedOut,
    /// <summary>The password was right; a second factor (or enrolling one) must follow before a session starts.</summary>
    RequiresTwoFactor,
    /// <summary>This client address spent its sign-in budget; nothing was checked.</summary>
    Throttled,
}

/// <summary>Dashboard sign-in with per-account lockout, the session cookie it starts, and sign-out.</summary>
public sealed class SignInService(
    HeronDbContext db,
    UserManager<HeronUser> users,
    KnownBrowserTracker browsers,
    SignInThrottle throttle,
    AccountSignInLocks locks,
    EmailOutbox outbox,
    AuditTrail audit,
    TwoFactorPolicy twoFactor,
    PendingSignIn pendingSignIn,
    TimeProvider clock,
    ILogger<SignInService> logger)
{
    private static readonly TimeSpan FailedSignInDuration = TimeSpan.FromMilliseconds(400);
    // Verified against when no account matches, so an unknown address costs what a wrong password costs.
    private static readonly string DummyHash = new PasswordHasher<HeronUser>().HashPassword(null!, Guid.NewGuid().ToString());

    /// <summary>
    /// Signs in to the realm of this kind whose account has this email and password. The same email may
    /// hold accounts in several organizations: the password picks one, and only when it matches none is
    /// a failure counted (against each, since each was guessed at). Every failure takes the same minimum
    /// time, so the answer's timing says nothing about which addresses have accounts.
    /// </summary>
    public async Task<SignInOutcome> SignInAsync(HttpContext http, string email, string password, RealmKind kind)
    {
        // Before anything costs a hash: a client over its budget learns nothing and costs nothing.
        if (throttle.TryReserve(http) is not null)
        {
            return SignInOutcome.Throttled;
        }
        var started = clock.GetTimestamp();
        var normalized = users.NormalizeEmail(email.Trim());
        SignInOutcome outcome;
        using (await locks.AcquireAsync($"{kind}/{normalized}", http.RequestAborted))
        {
            outcome = await TrySignInAsync(http, normalized, password, kind);
        }
        if (outcome is SignInOutcome.SignedIn or SignInOutcome.RequiresTwoFactor)
        {
            throttle.Refund(http);
        }
        else
        {
            var remaining = FailedSignInDuration - clock.GetElapsedTime(started);
            if (remaining > TimeSpan.Zero)
            {
                await Task.Delay(remaining, clock, http.RequestAborted);
            }
        }
        return outcome;
    }

    /// <summary>Runs under the address's lock, so the lockout state it reads is the one it updates.</summary>
    private async Task<SignInOutcome> TrySignInAsync(HttpContext http, string normalized, string password, RealmKind kind)
    {
        var candidates = await db.Users.Where(u => u.NormalizedEmail == normalized && u.Realm.Kind == kind)
            .OrderBy(u => u.CreatedAt).ToListAsync();
        HeronUser? matched = null;
        foreach (var user in candidates)
        {
            // Accounts still waiting for their invitation have no password; hash anyway so they cost the same.
            if (user.PasswordHash is null)
            {
                users.PasswordHasher.VerifyHashedPassword(user, DummyHash, password);
            }
            // A locked account's password is not checked at all: a burst gets no more guesses than the lockout allows.
            else if (await users.IsLockedOutAsync(user))
            {
                continue;
            }
            else if (matched is null && await users.CheckPasswordAsync(user, password))
            {
                matched = user;
            }
        }
        if (candidates.Count == 0)
        {
            users.PasswordHasher.VerifyHashedPassword(null!, DummyHash, password);
        }

        if (matched is not null)
        {
            if (await twoFactor.RequiresSecondStepAsync(matched, http.RequestAborted))
            {
                // No session yet, and the failure count stays: code guesses count with password guesses.
                pendingSignIn.Begin(http, matched, kind);
                return SignInOutcome.RequiresTwoFactor;
            }
            await RetryOnConflictAsync(matched, () => users.ResetAccessFailedCountAsync(matched));
            audit.Add(matched.RealmId, AuditEventKind.SignedIn, AccountActivity.ActorOf(http, matched),
                BrowserName.Of(http.Request.Headers.UserAgent.ToString()));
            await StartSessionAsync(http, matched, announceNewBrowser: true);
            return SignInOutcome.SignedIn;
        }

        var guessed = candidates.Where(u => u.PasswordHash is not null).ToList();
        foreach (var user in guessed)
        {
            audit.Add(user.RealmId, AuditEventKind.SignInFailed, AccountActivity.ActorOf(http, user));
            if (await users.IsLockedOutAsync(user))
            {
                continue;
            }
            await RetryOnConflictAsync(user, () => users.AccessFailedAsync(user));
            if (await users.IsLockedOutAsync(user))
            {
                audit.Add(user.RealmId, AuditEventKind.AccountLocked, AccountActivity.ActorOf(http, user));
                outbox.Add(EmailKind.Lockout, user, AccountActivity.FactsOf(http, clock));
                logger.LogWarning("Account {UserId} locked after repeated failed sign-ins from {ClientIp}", user.Id, ClientAddress.Of(http));
            }
        }
        await db.SaveChangesAsync();
        outbox.Notify();
        return guessed.Count > 0 && guessed.All(u => u.LockoutEnd > clock.GetUtcNow()) ? SignInOutcome.LockedOut : SignInOutcome.Failed;
    }

    /// <summary>Another instance changed the account meanwhile (the lock is per instance): see <see cref="AccountUpdates"/>.</summary>
    private Task RetryOnConflictAsync(HeronUser user, Func<Task<IdentityResult>> change) =>
        AccountUpdates.RetryOnConflictAsync(db, user, change, logger);

    /// <summary>The cookie handler removes this browser's <see cref="DashboardSession"/>, so a copy of the cookie stops working too.</summary>
    public Task SignOutAsync(HttpContext http, RealmKind kind) => http.SignOutAsync(RealmSchemes.For(kind));

    /// <summary>Issues the realm's session cookie for the account; a sign-in from a browser it has not used before is announced by email.</summary>
    public async Task StartSessionAsync(HttpContext http, HeronUser user, bool announceNewBrowser)
    {
        var realm = await db.Realms.Include(r => r.Organization).SingleAsync(r => r.Id == user.RealmId);
        var scheme = RealmSchemes.For(realm.Kind);
        await http.SignInAsync(scheme, RealmSession.Principal(user, realm, scheme, await users.GetSecurityStampAsync(user)));
        if (await browsers.RememberAsync(http, user) && announceNewBrowser)
        {
            await outbox.SendAsync(EmailKind.NewSignIn, user, AccountActivity.FactsOf(http, clock), http.RequestAborted);
        }
    }
}
