using System.Security.Cryptography;
using System.Text;
using Heron.Web.Accounts;
using Heron.Web.Audit;
using Heron.Web.Common;
using Heron.Web.Data;
using Heron.Web.Email;
using Microsoft.AspNetCore.Identity;

namespace Heron.Web.TwoFactor;

/// <summary>
/// Checks second factors with Identity's authenticator token provider (TOTP, RFC 6238) and recovery
/// codes. A wrong code counts towards the account's lockout exactly like a wrong password.
/// </summary>
public sealed class TwoFactorCodes(
    HeronDbContext db,
    UserManager<HeronUser> users,
    EmailOutbox outbox,
    AuditTrail audit,
    TimeProvider clock,
    ILogger<TwoFactorCodes> logger)
{
    public const string LockedOut = "This account is locked after too many failed attempts. Try again in 15 minutes, or reset your password.";

    /// <summary>Apps show "123 456"; people paste "123-456".</summary>
    public static string Normalize(string? code) => new((code ?? "").Where(char.IsLetterOrDigit).ToArray());

    /// <summary>
    /// A current code from the account's app that it has not used before. Identity accepts a code for
    /// about two minutes; remembering the codes used in that time (hashed) makes each work once, so a
    /// code seen over someone's shoulder or phished is spent.
    /// </summary>
    public async Task<bool> IsValidAuthenticatorCodeAsync(HeronUser user, string? code)
    {
        var digits = Normalize(code);
        if (digits.Length != 6 || !digits.All(char.IsAsciiDigit)
            || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, digits))
        {
            return false;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{user.Id}:{digits}")));
        var recent = ((await users.GetAuthenticationTokenAsync(user, UsedCodesProvider, UsedCodesName)) ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('|'))
            .Where(parts => parts.Length == 2 && long.TryParse(parts[1], out var ticks) && now - new DateTime(ticks, DateTimeKind.Utc) < UsedCodeMemory)
            .ToList();
        if (recent.Any(parts => CryptographicOperations.FixedTimeEquals(Convert.FromHexString(parts[0]), Convert.FromHexString(hash))))
        {
            return false;
        }
        recent.Add([hash, now.Ticks.ToString()]);
        await users.SetAuthenticationTokenAsync(user, UsedCodesProvider, UsedCodesName, string.Join(";", recent.Select(p => string.Join('|', p))));
        return true;
    }

    private const string UsedCodesProvider = "[Heron]";
    private const string UsedCodesName = "UsedAuthenticatorCodes";
    // Longer than Identity accepts a code for (its step and two either side: 150 s).
    private static readonly TimeSpan UsedCodeMemory = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A signed-in account proving it is still its owner (a code, and the password when given) before a
    /// change; null when it did, else what to tell them. A failure counts towards the lockout.
    /// </summary>
    public async Task<string?> StepUpAsync(HttpContext http, HeronUser user, string? password, string? code)
    {
        if (await users.IsLockedOutAsync(user))
        {
            return LockedOut;
        }
        var passwordRight = password is null || await users.CheckPasswordAsync(user, password);
        var codeRight = await IsValidAuthenticatorCodeAsync(user, code);
        if (passwordRight && codeRight)
        {
            return null;
        }
        await CountFailureAsync(http, user);
        return await users.IsLockedOutAsync(user) ? LockedOut
            : !passwordRight ? "Wrong password."
            : "That code does not match, or it was already used. Type the current 6-digit code from your authenticator app.";
    }

    /// <summary>Counts a wrong code (or password) against the account; locks it, audits and tells its owner at the limit.</summary>
    public async Task CountFailureAsync(HttpContext http, HeronUser user)
    {
        audit.Add(user.RealmId, AuditEventKind.SecondFactorFailed, AccountActivity.ActorOf(http, user));
        // Parallel wrong codes for one account race on its failure count: each is counted, none is a 500.
        await AccountUpdates.RetryOnConflictAsync(db, user, () => users.AccessFailedAsync(user), logger);
        if (await users.IsLockedOutAsync(user))
        {
            audit.Add(user.RealmId, AuditEventKind.AccountLocked, AccountActivity.ActorOf(http, user));
            outbox.Add(EmailKind.Lockout, user, AccountActivity.FactsOf(http, clock));
            logger.LogWarning("Account {UserId} locked after repeated wrong second factors from {ClientIp}", user.Id, ClientAddress.Of(http));
        }
        await AccountUpdates.RetryOnConflictAsync(db, user, () => users.UpdateAsync(user), logger);
        outbox.Notify();
    }
}
