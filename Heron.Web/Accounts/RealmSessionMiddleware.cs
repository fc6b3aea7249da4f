using Heron.Web.Organizations;
using Microsoft.AspNetCore.Authentication;

namespace Heron.Web.Accounts;

/// <summary>
/// The dashboard's URLs say which realm they act in: <c>/dev/…</c>, <c>/prod/…</c> (and <c>/admin/…</c> for
/// operators). This authenticates the request with that realm's session cookie only, so a session can
/// never act in another realm, and sends anyone without one to sign in to that realm.
/// </summary>
public sealed class RealmSessionMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (RealmOf(context.Request.Path) is not { } kind)
        {
            await next(context);
            return;
        }

        var result = await context.AuthenticateAsync(RealmSchemes.For(kind));
        if (result.Succeeded && RealmSession.From(result.Principal) is { } session && session.RealmKind == kind)
        {
            context.User = result.Principal;
            context.Features.Set(session);
            await next(context);
            return;
        }

        var returnUrl = context.Request.Path + context.Request.QueryString;
        context.Response.Redirect(kind == RealmKind.Internal
            ? $"/admin/login?returnUrl={Uri.EscapeDataString(returnUrl)}"
            : $"/account/login?environment={kind.Environment()}&returnUrl={Uri.EscapeDataString(returnUrl)}");
    }

    public static RealmKind? RealmOf(PathString path) =>
        path.StartsWithSegments("/dev", StringComparison.OrdinalIgnoreCase) ? RealmKind.Development
        : path.StartsWithSegments("/prod", StringComparison.OrdinalIgnoreCase) ? RealmKind.Production
        : path.StartsWithSegments("/admin", StringComparison.OrdinalIgnoreCase) && !path.StartsWithSegments("/admin/login", StringComparison.OrdinalIgnoreCase) ? RealmKind.Internal
        : null;
}

public static class RealmSessionExtensions
{
    public static IApplicationBuilder UseRealmSessions(this IApplicationBuilder app) => app.UseMiddleware<RealmSessionMiddleware>();

    /// <summary>The session <see cref="RealmSessionMiddleware"/> established for this request.</summary>
    public static RealmSession RealmSession(this HttpContext context) =>
        context.Features.Get<RealmSession>() ?? throw new InvalidOperationException("This page is outside /dev, /prod or /admin.");
}
