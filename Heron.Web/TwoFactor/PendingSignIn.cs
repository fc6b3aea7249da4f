using System.Security.Cryptography;
using System.Text.Json;
using Heron.Web.Accounts;
using Heron.Web.Organizations;
using Microsoft.AspNetCore.DataProtection;

namespace Heron.Web.TwoFactor;

/// <summary>A password that was right, waiting for its second factor: whose account, in which realm, until when.</summary>
public sealed record PendingAccount(string UserId, int RealmId, RealmKind Kind, DateTime ExpiresAt);

/// <summary>
/// The state between the password and the second factor, kept in a short-lived data-protected cookie
/// (never the password). It is bound to one account and realm, expires after
/// <see cref="Lifetime"/>, and is no session: it opens nothing but the second-factor pages.
/// </summary>
public sealed class PendingSignIn(IDataProtectionProvider protection, TimeProvider clock, IHostEnvironment environment)
{
    public const string CookieName = ".heron.two-factor";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly IDataProtector _protector = protection.CreateProtector("Heron.TwoFactor.PendingSignIn.v1");

    public void Begin(HttpContext http, HeronUser user, RealmKind kind)
    {
        var pending = new PendingAccount(user.Id, user.RealmId, kind, clock.GetUtcNow().UtcDateTime + Lifetime);
        http.Response.Cookies.Append(CookieName, _protector.Protect(JsonSerializer.Serialize(pending)), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = !environment.IsDevelopment() || http.Request.IsHttps,
            MaxAge = Lifetime,
            IsEssential = true,
        });
    }

    /// <summary>The pending account, or null when there is none, it was tampered with or it expired.</summary>
    public PendingAccount? Find(HttpContext http)
    {
        if (http.Request.Cookies[CookieName] is not { Length: > 0 } value)
        {
            return null;
        }
        try
        {
            var pending = JsonSerializer.Deserialize<PendingAccount>(_protector.Unprotect(value));
            return pending is not null && pending.ExpiresAt > clock.GetUtcNow().UtcDateTime ? pending : null;
        }
        catch (Exception e) when (e is CryptographicException or JsonException)
        {
            return null;
        }
    }

    public void End(HttpContext http) => http.Response.Cookies.Delete(CookieName);
}
