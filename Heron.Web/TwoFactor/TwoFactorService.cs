using Heron.Web.Accounts;
using Heron.Web.Audit;
using Heron.Web.Common;
using Heron.Web.Data;
using Heron.Web.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.TwoFactor;

/// <summary>The outcome of a two-factor change: an error to show, or success with any recovery codes to show once.</summary>
public sealed record TwoFactorResult(string? Error, IReadOnlyList<string>? RecoveryCodes = null)
{
    public bool Succeeded => Error is null;
    public static TwoFactorResult Failed(string error) => new(error);
}

/// <summary>An account's two-factor status, for Settings → Two-factor.</summary>
public sealed record TwoFactorStatus(bool Enabled, bool Required, int RecoveryCodesLeft, AuthenticatorSetup? Setup);

/// <summary>
/// Settings → Two-factor: enrol an authenticator app (confirmed by a code), disable (password and a
/// code), regenerate recovery codes (a code). Each change is audited and mailed to the account, and,
/// since it changes the security stamp, ends the account's other sessions.
/// </summary>
public sealed class TwoFactorService(
    HeronDbContext db,
    UserManager<HeronUser> users,
    TwoFactorCodes codes,
    TwoFactorPolicy policy,
    SignInService signIn,
    EmailOutbox outbox,
    AuditTrail audit,
    TimeProvider clock)
{
    public const int RecoveryCodeCount = 10;

    public async Task<HeronUser> AccountAsync(RealmSession session) =>
        await db.Users.Include(u => u.Realm).ThenInclude(r => r.Organization).SingleOrDefaultAsync(u => u.Id == session.UserId)
        ?? throw new HeronRuleException("Your account no longer exists.");

    public async Task<TwoFactorStatus> StatusAsync(HeronUser user, CancellationToken cancellationToken)
    {
        var required = await policy.IsRequiredForAsync(user, cancellationToken);
        if (user.TwoFactorEnabled)
        {
            return new(true, required, await users.CountRecoveryCodesAsync(user), null);
        }
        // A key made by "Set up" but not yet confirmed is shown again, so a reload keeps the app's entry valid.
        var key = await users.GetAuthenticatorKeyAsync(user);
        return new(false, required, 0, key is null ? null : AuthenticatorSetup.For(key, user, user.Realm));
    }

    /// <summary>A fresh authenticator key for the account to scan; nothing changes at sign-in until a code confirms it.</summary>
    public async Task<AuthenticatorSetup> BeginSetupAsync(HttpContext http, HeronUser user, bool signedIn)
    {
        if (user.TwoFactorEnabled)
        {
            throw new HeronRuleException("Two-factor sign-in is already on.");
        }
        await users.ResetAuthenticatorKeyAsync(user);
        if (signedIn)
        {
            // A new key changes the security stamp; keep this session.
            await signIn.StartSessionAsync(http, user, announceNewBrowser: false);
        }
        return AuthenticatorSetup.For((await users.GetAuthenticatorKeyAsync(user))!, user, user.Realm);
    }

    /// <summary>Turns two-factor on once a code from the app proves it holds the key; returns the recovery codes, shown once.</summary>
    public async Task<TwoFactorResult> EnableAsync(HttpContext http, HeronUser user, string code, bool signedIn)
    {
        if (user.TwoFactorEnabled)
        {
            return TwoFactorResult.Failed("Two-factor sign-in is already on.");
        }
        if (await users.GetAuthenticatorKeyAsync(user) is null)
        {
            return TwoFactorResult.Failed("Set up your authenticator app first.");
        }
        if (!await codes.IsValidAuthenticatorCodeAsync(user, code))
        {
            return TwoFactorResult.Failed("That code does not match. Check that your authenticator app shows the Heron entry just added, and type its current 6-digit code.");
        }
        await users.SetTwoFactorEnabledAsync(user, true);
        var recoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))!.ToList();
        await RecordAsync(http, user, AuditEventKind.TwoFactorEnabled, EmailKind.TwoFactorEnabled, signedIn);
        return new(null, recoveryCodes);
    }

    public async Task<TwoFactorResult> DisableAsync(HttpContext http, HeronUser user, string password, string code)
    {
        if (!user.TwoFactorEnabled)
        {
            return TwoFactorResult.Failed("Two-factor sign-in is already off.");
        }
        if (await policy.IsRequiredForAsync(user, http.RequestAborted))
        {
            return TwoFactorResult.Failed(user.Realm.Kind == Organizations.RealmKind.Internal
                ? "Heron operators must sign in with two-factor; it cannot be turned off."
                : "Heron requires two-factor sign-in for this production realm; it cannot be turned off.");
        }
        if (await codes.StepUpAsync(http, user, password, code) is { } error)
        {
            return TwoFactorResult.Failed(error);
        }
        await users.SetTwoFactorEnabledAsync(user, false);
        // No codes left: the old ones must not work if two-factor is turned on again.
        await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
        // And no key: turning it on again starts with a new one, so an old app entry never works again.
        await users.RemoveAuthenticationTokenAsync(user, "[AspNetUserStore]", "AuthenticatorKey");
        await RecordAsync(http, user, AuditEventKind.TwoFactorDisabled, EmailKind.TwoFactorDisabled, signedIn: true);
        return new(null);
    }

    public async Task<TwoFactorResult> RegenerateRecoveryCodesAsync(HttpContext http, HeronUser user, string code)
    {
        if (!user.TwoFactorEnabled)
        {
            return TwoFactorResult.Failed("Turn on two-factor sign-in first.");
        }
        if (await codes.StepUpAsync(http, user, password: null, code) is { } error)
        {
            return TwoFactorResult.Failed(error);
        }
        var recoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))!.ToList();
        await RecordAsync(http, user, AuditEventKind.RecoveryCodesRegenerated, EmailKind.RecoveryCodesRegenerated, signedIn: true);
        return new(null, recoveryCodes);
    }

    private async Task RecordAsync(HttpContext http, HeronUser user, AuditEventKind kind, EmailKind email, bool signedIn)
    {
        audit.Add(user.RealmId, kind, AccountActivity.ActorOf(http, user));
        await outbox.SendAsync(email, user, AccountActivity.FactsOf(http, clock), http.RequestAborted);
        if (signedIn)
        {
            await signIn.StartSessionAsync(http, user, announceNewBrowser: false);
        }
    }
}
