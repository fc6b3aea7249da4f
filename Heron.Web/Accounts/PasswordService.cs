using System.Security.Cryptography;
using System.Text;
using Heron.Web.Audit;
using Heron.Web.Common;
using Heron.Web.Data;
using Heron.Web.Email;
using Heron.Web.Organizations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.Accounts;

public enum ResetRequestOutcome
{
    /// <summary>Shown the same way whether or not the account exists.</summary>
    Accepted,
    /// <summary>This client asked too often; nothing was sent.</summary>
    ClientThrottled,
}

/// <summary>"Forgot password?" (throttled per address and per client), the emailed reset, and a signed-in password change.</summary>
public sealed class PasswordService(
    HeronDbContext db,
    UserManager<HeronUser> users,
    SignInService signIn,
    SessionService sessions,
    EmailOutbox outbox,
    AuditTrail audit,
    TimeProvider clock)
{
    public const int ResetsPerAddressPerHour = 3;
    public const int ResetsPerClientPerHour = 20;

    /// <summary>Same answer whether or not the account exists.</summary>
    public async Task<ResetRequestOutcome> RequestResetAsync(HttpContext http, string email, RealmKind kind)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now.AddHours(-1);
        var clientIp = ClientAddress.Of(http);
        var normalized = users.NormalizeEmail(email.Trim());
        var emailHash = SHA256.HashData(Encoding.UTF8.GetBytes(normalized ?? ""));
        var byClient = await db.PasswordResetRequests.CountAsync(r => r.ClientIp == clientIp && r.RequestedAt > since);
        if (byClient >= ResetsPerClientPerHour)
        {
            return ResetRequestOutcome.ClientThrottled;
        }
        var byAddress = await db.PasswordResetRequests.CountAsync(r => r.EmailHash == emailHash && r.RequestedAt > since);
        db.PasswordResetRequests.Add(new PasswordResetRequest { EmailHash = emailHash, ClientIp = clientIp, RequestedAt = now });

        // Looked up even when nothing will be sent, so the answer takes as long either way.
        var accounts = await db.Users
            .Where(u => u.NormalizedEmail == normalized && u.Realm.Kind == kind && u.PasswordHash != null)
            .OrderBy(u => u.CreatedAt).ToListAsync();
        if (byAddress < ResetsPerAddressPerHour)
        {
            foreach (var user in accounts)
            {
                outbox.Add(EmailKind.PasswordReset, user);
            }
        }
        await db.SaveChangesAsync(http.RequestAborted);
        outbox.Notify();
        return ResetRequestOutcome.Accepted;
    }

    public async Task<HeronUser?> FindForResetAsync(string? userId, string? token)
    {
        var user = userId is null ? null : await users.FindByIdAsync(userId);
        return user is not null && token is not null && user.PasswordHash is not null
               && await users.VerifyUserTokenAsync(user, users.Options.Tokens.PasswordResetTokenProvider, UserManager<HeronUser>.ResetPasswordTokenPurpose, token)
            ? user
            : null;
    }

    /// <summary>Sets the new password; every session of the account ends and its owner is told. No automatic sign-in.</summary>
    public async Task<IdentityResult> ResetAsync(HttpContext http, HeronUser user, string token, string newPassword)
    {
        var result = await users.ResetPasswordAsync(user, token, newPassword);
        if (result.Succeeded)
        {
            await users.ResetAccessFailedCountAsync(user);
            await users.SetLockoutEndDateAsync(user, null);
            // Whoever knew the old password may hold a session: every one ends now, not at its next look-up.
            await sessions.EndAllAsync(user.Id, keep: null, http.RequestAborted);
            audit.Add(user.RealmId, AuditEventKind.PasswordReset, AccountActivity.ActorOf(http, user));
            await outbox.SendAsync(EmailKind.PasswordChanged, user, AccountActivity.FactsOf(http, clock), http.RequestAborted);
        }
        return result;
    }

    public async Task<IdentityResult> ChangeAsync(HttpContext http, RealmSession session, string current, string next)
    {
        var user = await users.FindByIdAsync(session.UserId) ?? throw new HeronRuleException("Your account no longer exists.");
        var result = await users.ChangePasswordAsync(user, current, next);
        if (result.Succeeded)
        {
            audit.Add(user.RealmId, AuditEventKind.PasswordChanged, AccountActivity.ActorOf(http, user));
            await outbox.SendAsync(EmailKind.PasswordChanged, user, AccountActivity.FactsOf(http, clock), http.RequestAborted);
            // Every session ends (the stamp changed too); this browser continues with a new one.
            await sessions.EndAllAsync(user.Id, keep: null, http.RequestAborted);
            await signIn.StartSessionAsync(http, user, announceNewBrowser: false);
        }
        return result;
    }
}
