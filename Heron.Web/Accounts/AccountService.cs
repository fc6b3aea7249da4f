using System.Security.Cryptography;
using System.Text;
using Heron.Web.ApiKeys;
using Heron.Web.Audit;
using Heron.Web.Common;
using Heron.Web.Data;
using Heron.Web.Email;
using Heron.Web.Organizations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.Accounts;

public enum SignInOutcome
{
    SignedIn,
    Failed,
    LockedOut,
}

public enum ResetRequestOutcome
{
    /// <summary>Shown the same way whether or not the account exists.</summary>
    Accepted,
    /// <summary>This client asked too often; nothing was sent.</summary>
    ClientThrottled,
}

/// <summary>Dashboard sign-in, invitations and passwords: the stories the account pages tell.</summary>
public sealed class AccountService(
    HeronDbContext db,
    UserManager<HeronUser> users,
    EmailOutbox outbox,
    AuditTrail audit,
    TimeProvider clock,
    ILogger<AccountService> logger)
{
    public const int ResetsPerAddressPerHour = 3;
    public const int ResetsPerClientPerHour = 20;
    private const string BrowserCookie = ".heron.browser";
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
        var started = clock.GetTimestamp();
        var outcome = await TrySignInAsync(http, email, password, kind);
        if (outcome != SignInOutcome.SignedIn)
        {
            var remaining = FailedSignInDuration - clock.GetElapsedTime(started);
            if (remaining > TimeSpan.Zero)
            {
                await Task.Delay(remaining, clock, http.RequestAborted);
            }
        }
        return outcome;
    }

    private static readonly TimeSpan FailedSignInDuration = TimeSpan.FromMilliseconds(400);

    private async Task<SignInOutcome> TrySignInAsync(HttpContext http, string email, string password, RealmKind kind)
    {
        var candidates = await AccountsAsync(email, kind);
        HeronUser? matched = null;
        foreach (var user in candidates)
        {
            // Accounts still waiting for their invitation have no password; hash anyway so they cost the same.
            if (user.PasswordHash is null)
            {
                users.PasswordHasher.VerifyHashedPassword(user, DummyHash, password);
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
            if (await users.IsLockedOutAsync(matched))
            {
                return SignInOutcome.LockedOut;
            }
            await users.ResetAccessFailedCountAsync(matched);
            audit.Add(matched.RealmId, AuditEventKind.SignedIn, ActorOf(http, matched), BrowserName.Of(http.Request.Headers.UserAgent.ToString()));
            await StartSessionAsync(http, matched, announceNewBrowser: true);
            return SignInOutcome.SignedIn;
        }

        var guessed = candidates.Where(u => u.PasswordHash is not null).ToList();
        foreach (var user in guessed)
        {
            audit.Add(user.RealmId, AuditEventKind.SignInFailed, ActorOf(http, user));
            if (await users.IsLockedOutAsync(user))
            {
                continue;
            }
            await users.AccessFailedAsync(user);
            if (await users.IsLockedOutAsync(user))
            {
                audit.Add(user.RealmId, AuditEventKind.AccountLocked, ActorOf(http, user));
                outbox.Add(EmailKind.Lockout, user, Facts(http));
                logger.LogWarning("Account {UserId} locked after repeated failed sign-ins from {ClientIp}", user.Id, ClientAddress.Of(http));
            }
        }
        await db.SaveChangesAsync();
        outbox.Notify();
        return guessed.Count > 0 && guessed.All(u => u.LockoutEnd > clock.GetUtcNow()) ? SignInOutcome.LockedOut : SignInOutcome.Failed;
    }

    public Task SignOutAsync(HttpContext http, RealmKind kind) => http.SignOutAsync(RealmSchemes.For(kind));

    /// <summary>"Forgot password?": same answer whether or not the account exists; throttled per address and per client.</summary>
    public async Task<ResetRequestOutcome> RequestPasswordResetAsync(HttpContext http, string email, RealmKind kind)
    {
        var now = Now();
        var since = now.AddHours(-1);
        var clientIp = ClientAddress.Of(http);
        var emailHash = SHA256.HashData(Encoding.UTF8.GetBytes(users.NormalizeEmail(email.Trim()) ?? ""));
        var byClient = await db.PasswordResetRequests.CountAsync(r => r.ClientIp == clientIp && r.RequestedAt > since);
        if (byClient >= ResetsPerClientPerHour)
        {
            return ResetRequestOutcome.ClientThrottled;
        }
        var byAddress = await db.PasswordResetRequests.CountAsync(r => r.EmailHash == emailHash && r.RequestedAt > since);
        db.PasswordResetRequests.Add(new PasswordResetRequest { EmailHash = emailHash, ClientIp = clientIp, RequestedAt = now });

        var candidates = await AccountsAsync(email, kind);
        if (byAddress < ResetsPerAddressPerHour)
        {
            foreach (var user in candidates.Where(u => u.PasswordHash is not null))
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
    public async Task<IdentityResult> ResetPasswordAsync(HttpContext http, HeronUser user, string token, string newPassword)
    {
        var result = await users.ResetPasswordAsync(user, token, newPassword);
        if (result.Succeeded)
        {
            await users.ResetAccessFailedCountAsync(user);
            await users.SetLockoutEndDateAsync(user, null);
            audit.Add(user.RealmId, AuditEventKind.PasswordReset, ActorOf(http, user));
            await outbox.SendAsync(EmailKind.PasswordChanged, user, Facts(http), http.RequestAborted);
        }
        return result;
    }

    public async Task<HeronUser?> FindForInvitationAsync(string? userId, string? token)
    {
        var user = userId is null ? null : await users.FindByIdAsync(userId);
        return user is not null && token is not null && user.PasswordHash is null
               && await InvitationTokenProvider.VerifyAsync(users, user, token)
            ? user
            : null;
    }

    /// <summary>Sets the first password of an invited account; the link stops working because the stamp changes.</summary>
    public async Task<IdentityResult> AcceptInvitationAsync(HttpContext http, HeronUser user, string password)
    {
        var result = await users.AddPasswordAsync(user, password);
        if (result.Succeeded)
        {
            user.EmailConfirmed = true;
            audit.Add(user.RealmId, AuditEventKind.InvitationAccepted, ActorOf(http, user));
            await users.UpdateAsync(user);
            await RememberBrowserAsync(http, user);
        }
        return result;
    }

    public async Task<IdentityResult> ChangePasswordAsync(HttpContext http, RealmSession session, string current, string next)
    {
        var user = await users.FindByIdAsync(session.UserId) ?? throw new HeronRuleException("Your account no longer exists.");
        var result = await users.ChangePasswordAsync(user, current, next);
        if (result.Succeeded)
        {
            audit.Add(user.RealmId, AuditEventKind.PasswordChanged, ActorOf(http, user));
            await outbox.SendAsync(EmailKind.PasswordChanged, user, Facts(http), http.RequestAborted);
            // The stamp changed: other sessions end, this one continues with a fresh cookie.
            await StartSessionAsync(http, user, announceNewBrowser: false);
        }
        return result;
    }

    public async Task<string> EnvironmentOfAsync(HeronUser user) =>
        (await db.Realms.Where(r => r.Id == user.RealmId).Select(r => r.Kind).SingleAsync()).Environment();

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
        user ??= await CreateAccountAsync(realm, address, password: null);
        audit.Add(realm.Id, AuditEventKind.InvitationSent, actor, address);
        outbox.Add(EmailKind.Invitation, user);
        await db.SaveChangesAsync(cancellationToken);
        outbox.Notify();
        return user;
    }

    /// <summary>Creates a dashboard account in a realm; without a password it waits for an invitation to be accepted.</summary>
    public async Task<HeronUser> CreateAccountAsync(Realm realm, string email, string? password)
    {
        var user = new HeronUser
        {
            UserName = HeronUser.UserNameFor(realm, email),
            Email = email,
            RealmId = realm.Id,
            CreatedAt = Now(),
        };
        var result = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            var duplicate = result.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateUserName));
            throw new HeronRuleException(duplicate
                ? $"{email} already has an account in {realm.Username}."
                : string.Join(" ", result.Errors.Select(e => e.Description)));
        }
        return user;
    }

    /// <summary>The accounts of a realm, oldest first.</summary>
    public Task<List<HeronUser>> MembersAsync(int realmId, CancellationToken cancellationToken) =>
        db.Users.AsNoTracking().Where(u => u.RealmId == realmId).OrderBy(u => u.CreatedAt).ToListAsync(cancellationToken);

    private static Actor ActorOf(HttpContext http, HeronUser user) =>
        new(ActorKind.User, user.Email ?? user.Id, ClientAddress.Of(http));

    private async Task StartSessionAsync(HttpContext http, HeronUser user, bool announceNewBrowser)
    {
        var realm = await db.Realms.Include(r => r.Organization).SingleAsync(r => r.Id == user.RealmId);
        var scheme = RealmSchemes.For(realm.Kind);
        await http.SignInAsync(scheme, RealmSession.Principal(user, realm, scheme, await users.GetSecurityStampAsync(user)));
        if (await RememberBrowserAsync(http, user) && announceNewBrowser)
        {
            await outbox.SendAsync(EmailKind.NewSignIn, user, Facts(http), http.RequestAborted);
        }
    }

    /// <summary>Marks this browser as used by the account; true when it had not been before.</summary>
    private async Task<bool> RememberBrowserAsync(HttpContext http, HeronUser user)
    {
        var browserId = http.Request.Cookies[BrowserCookie];
        if (string.IsNullOrEmpty(browserId) || browserId.Length > 64)
        {
            browserId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            http.Response.Cookies.Append(BrowserCookie, browserId, new CookieOptions
            {
                HttpOnly = true,
                Secure = http.Request.IsHttps,
                SameSite = SameSiteMode.Lax,
                MaxAge = TimeSpan.FromDays(400),
                IsEssential = true,
            });
        }
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(browserId));
        var known = await db.KnownBrowsers.SingleOrDefaultAsync(b => b.UserId == user.Id && b.BrowserHash == hash);
        if (known is not null)
        {
            known.LastSeenAt = Now();
            await db.SaveChangesAsync();
            return false;
        }
        db.KnownBrowsers.Add(new KnownBrowser { UserId = user.Id, BrowserHash = hash, FirstSeenAt = Now(), LastSeenAt = Now() });
        await db.SaveChangesAsync();
        return true;
    }

    private Task<List<HeronUser>> AccountsAsync(string email, RealmKind kind)
    {
        var normalized = users.NormalizeEmail(email.Trim());
        return db.Users.Where(u => u.NormalizedEmail == normalized && u.Realm.Kind == kind).OrderBy(u => u.CreatedAt).ToListAsync();
    }

    private Email.MessageFacts Facts(HttpContext http) =>
        new(Now(), ClientAddress.Of(http), BrowserName.Of(http.Request.Headers.UserAgent.ToString()));

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;
}

/// <summary>A short browser description for emails ("Chrome on Linux"), from the User-Agent.</summary>
public static class BrowserName
{
    public static string? Of(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return null;
        }
        var browser = userAgent switch
        {
            var ua when ua.Contains("Edg/") => "Edge",
            var ua when ua.Contains("Firefox/") => "Firefox",
            var ua when ua.Contains("Chrome/") || ua.Contains("Chromium/") => "Chrome",
            var ua when ua.Contains("Safari/") => "Safari",
            var ua when ua.StartsWith("curl/") => "curl",
            _ => "an unrecognised browser",
        };
        var os = userAgent switch
        {
            var ua when ua.Contains("Windows") => " on Windows",
            var ua when ua.Contains("Mac OS X") => " on macOS",
            var ua when ua.Contains("Android") => " on Android",
            var ua when ua.Contains("iPhone") || ua.Contains("iPad") => " on iOS",
            var ua when ua.Contains("Linux") => " on Linux",
            _ => "",
        };
        return browser + os;
    }
}
