using Heron.Web.Accounts;
using Heron.Web.Audit;
using Heron.Web.Data;
using Heron.Web.Email;
using Heron.Web.Organizations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.TwoFactor;

public enum SecondFactorOutcome
{
    SignedIn,
    WrongCode,
    LockedOut,
}

/// <summary>A pending sign-in whose account and realm still match it.</summary>
public sealed record SecondFactorChallenge(HeronUser User, RealmKind Kind)
{
    /// <summary>The account has no authenticator yet but its realm requires one: it enrols before its session starts.</summary>
    public bool MustEnrol => !User.TwoFactorEnabled;
}

/// <summary>
/// The second step of signing in: after the right password, an account with two-factor (or one that
/// must enrol) gets a pending sign-in instead of a session, and the session starts only once a code
/// from its authenticator app or one of its recovery codes is given.
/// </summary>
public sealed class SecondFactorSignIn(
    HeronDbContext db,
    UserManager<HeronUser> users,
    PendingSignIn pending,
    TwoFactorCodes codes,
    SignInService signIn,
    EmailOutbox outbox,
    AuditTrail audit,
    TimeProvider clock)
{
    public async Task<SecondFactorChallenge?> FindAsync(HttpContext http)
    {
        if (pending.Find(http) is not { } account)
        {
            return null;
        }
        var user = await db.Users.Include(u => u.Realm).ThenInclude(r => r.Organization)
            .SingleOrDefaultAsync(u => u.Id == account.UserId, http.RequestAborted);
        return user is not null && user.RealmId == account.RealmId && user.Realm.Kind == account.Kind
            ? new SecondFactorChallenge(user, account.Kind)
            : null;
    }

    public Task<SecondFactorOutcome> SignInWithCodeAsync(HttpContext http, SecondFactorChallenge challenge, string code) =>
        SignInAsync(http, challenge, () => codes.IsValidAuthenticatorCodeAsync(challenge.User, code), recoveryCode: false);

    /// <summary>A recovery code works once: it is removed from the account as it signs in.</summary>
    public Task<SecondFactorOutcome> SignInWithRecoveryCodeAsync(HttpContext http, SecondFactorChallenge challenge, string code) =>
        SignInAsync(http, challenge, async () =>
        {
            var normalized = TwoFactorCodes.Normalize(code);
            return normalized.Length > 0 && (await users.RedeemTwoFactorRecoveryCodeAsync(challenge.User, normalized)).Succeeded;
        }, recoveryCode: true);

    /// <summary>An account that must enrol confirms its new authenticator with a code; its session starts and its recovery codes are returned, to show once.</summary>
    public async Task<TwoFactorResult> EnrolAndSignInAsync(HttpContext http, SecondFactorChallenge challenge, string code, TwoFactorService twoFactor)
    {
        var user = challenge.User;
        if (await users.IsLockedOutAsync(user))
        {
            return TwoFactorResult.Failed(TwoFactorCodes.LockedOut);
        }
        var result = await twoFactor.EnableAsync(http, user, code, signedIn: false);
        if (!result.Succeeded)
        {
            // Before the session exists the code is a guess like any other.
            await codes.CountFailureAsync(http, user);
            return await users.IsLockedOutAsync(user) ? TwoFactorResult.Failed(TwoFactorCodes.LockedOut) : result;
        }
        await CompleteAsync(http, user);
        return result;
    }

    private async Task<SecondFactorOutcome> SignInAsync(HttpContext http, SecondFactorChallenge challenge, Func<Task<bool>> verify, bool recoveryCode)
    {
        var user = challenge.User;
        if (challenge.MustEnrol || await users.IsLockedOutAsync(user))
        {
            return SecondFactorOutcome.LockedOut;
        }
        if (!await verify())
        {
            await codes.CountFailureAsync(http, user);
            return await users.IsLockedOutAsync(user) ? SecondFactorOutcome.LockedOut : SecondFactorOutcome.WrongCode;
        }
        if (recoveryCode)
        {
            var left = await users.CountRecoveryCodesAsync(user);
            audit.Add(user.RealmId, AuditEventKind.RecoveryCodeUsed, AccountActivity.ActorOf(http, user), $"{left} left");
            outbox.Add(EmailKind.RecoveryCodeUsed, user, AccountActivity.FactsOf(http, clock) with
            {
                Detail = left == 0 ? "It was the last one: make new ones under Settings → Two-factor." : $"{left} recovery codes are left.",
            });
        }
        await CompleteAsync(http, user);
        return SecondFactorOutcome.SignedIn;
    }

    private async Task CompleteAsync(HttpContext http, HeronUser user)
    {
        await users.ResetAccessFailedCountAsync(user);
        audit.Add(user.RealmId, AuditEventKind.SignedIn, AccountActivity.ActorOf(http, user),
            BrowserName.Of(http.Request.Headers.UserAgent.ToString()));
        pending.End(http);
        await signIn.StartSessionAsync(http, user, announceNewBrowser: true);
        await db.SaveChangesAsync(http.RequestAborted);
        outbox.Notify();
    }
}
