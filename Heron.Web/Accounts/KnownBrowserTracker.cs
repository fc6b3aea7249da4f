using System.Security.Cryptography;
using System.Text;
using Heron.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.Accounts;

/// <summary>
/// Remembers the browsers an account has used, by the hash of a random long-lived cookie, so a sign-in
/// from a new one can be announced to the account's owner.
/// </summary>
public sealed class KnownBrowserTracker(HeronDbContext db, TimeProvider clock)
{
    private const string BrowserCookie = ".heron.browser";

    /// <summary>Marks this browser as used by the account; true when it had not been before.</summary>
    public async Task<bool> RememberAsync(HttpContext http, HeronUser user)
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
        var now = clock.GetUtcNow().UtcDateTime;
        var known = await db.KnownBrowsers.SingleOrDefaultAsync(b => b.UserId == user.Id && b.BrowserHash == hash);
        if (known is not null)
        {
            known.LastSeenAt = now;
            await db.SaveChangesAsync();
            return false;
        }
        db.KnownBrowsers.Add(new KnownBrowser { UserId = user.Id, BrowserHash = hash, FirstSeenAt = now, LastSeenAt = now });
        await db.SaveChangesAsync();
        return true;
    }
}
