using System.Security.Cryptography;
using System.Text;
using Heron.Web.Common;
using Heron.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Heron.Web.Accounts;

/// <summary>
/// The cookie handler's session store: a session is a <see cref="DashboardSession"/> row, and the cookie
/// carries only its random key. Every request looks the row up (no cache), so a session ended on any
/// instance is refused by every instance on its next request. The principal is rebuilt from the account
/// each time, so it never says more than the database does now.
/// </summary>
public sealed class DashboardSessionStore(IServiceScopeFactory scopes, IOptionsMonitor<SessionOptions> options, TimeProvider clock) : ITicketStore
{
    /// <summary>Last-seen times are written at most this often per session; finer would cost a write per page.</summary>
    private static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static byte[] HashStamp(string? stamp) => SHA256.HashData(Encoding.UTF8.GetBytes(stamp ?? ""));

    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, null!, default);

    public async Task<string> StoreAsync(AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await SaveAsync(key, ticket, httpContext, cancellationToken);
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, null!, default);

    /// <summary>
    /// A sign-in in a request that already has a session (a password change re-issues this browser's) keeps
    /// the cookie's key: the session starts over under it, as the account is now. Sliding expiration is off,
    /// so this is the only renewal; the idle timeout is kept by <see cref="RetrieveAsync(string, HttpContext, CancellationToken)"/>.
    /// </summary>
    public async Task RenewAsync(string key, AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken)
    {
        await RemoveAsync(key, httpContext, cancellationToken);
        await SaveAsync(key, ticket, httpContext, cancellationToken);
    }

    private async Task SaveAsync(string key, AuthenticationTicket ticket, HttpContext? httpContext, CancellationToken cancellationToken)
    {
        var session = RealmSession.From(ticket.Principal) ?? throw new InvalidOperationException("A dashboard session needs an account.");
        var stamp = ticket.Principal.FindFirst(RealmSession.SecurityStampClaim)?.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var browser = BrowserName.Of(httpContext?.Request.Headers.UserAgent.ToString());
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeronDbContext>();
        db.DashboardSessions.Add(new DashboardSession
        {
            KeyHash = Hash(key),
            UserId = session.UserId,
            StampHash = HashStamp(stamp),
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = now + options.CurrentValue.For(session.RealmKind).AbsoluteLifetime,
            ClientIp = httpContext is null ? null : ClientAddress.Of(httpContext),
            Browser = browser?[..Math.Min(browser.Length, DashboardSession.BrowserMaxLength)],
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, null!, default);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var hash = Hash(key);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeronDbContext>();
        var row = await db.DashboardSessions.AsNoTracking()
            .Where(s => s.KeyHash == hash)
            .Select(s => new { Session = s, s.User, s.User.Realm, s.User.Realm.Organization })
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var lifetime = options.CurrentValue.For(row.Realm.Kind);
        var idleEnd = row.Session.LastSeenAt + lifetime.IdleTimeout;
        if (now >= row.Session.ExpiresAt || now >= idleEnd
            || !CryptographicOperations.FixedTimeEquals(row.Session.StampHash, HashStamp(row.User.SecurityStamp)))
        {
            await db.DashboardSessions.Where(s => s.Id == row.Session.Id).ExecuteDeleteAsync(cancellationToken);
            return null;
        }
        if (now - row.Session.LastSeenAt >= LastSeenResolution)
        {
            await db.DashboardSessions.Where(s => s.Id == row.Session.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSeenAt, now), cancellationToken);
            idleEnd = now + lifetime.IdleTimeout;
        }
        row.User.Realm = row.Realm;
        row.Realm.Organization = row.Organization;
        var scheme = RealmSchemes.For(row.Realm.Kind);
        var principal = RealmSession.Principal(row.User, row.Realm, scheme, row.User.SecurityStamp ?? "", row.Session.Id);
        var properties = new AuthenticationProperties
        {
            IssuedUtc = row.Session.CreatedAt,
            ExpiresUtc = idleEnd < row.Session.ExpiresAt ? idleEnd : row.Session.ExpiresAt,
        };
        return new AuthenticationTicket(principal, properties, scheme);
    }

    public Task RemoveAsync(string key) => RemoveAsync(key, null!, default);

    public async Task RemoveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var hash = Hash(key);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeronDbContext>();
        await db.DashboardSessions.Where(s => s.KeyHash == hash).ExecuteDeleteAsync(cancellationToken);
    }
}
