using Heron.Web.Accounts;

namespace Heron.Web.Site;

/// <summary>
/// Security headers on every response, errors included: a Content-Security-Policy that runs only Heron's
/// own script files (no inline script anywhere), no framing, no MIME sniffing, no Referer (pages carry
/// tokens and emailed links), and no caching of signed-in pages or the API.
/// </summary>
public sealed class BrowserHardeningMiddleware(RequestDelegate next)
{
    public const string SitePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Swagger UI styles its elements inline; its scripts are still files only.</summary>
    public const string ApiReferencePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            var path = http.Request.Path;
            headers.ContentSecurityPolicy = path.StartsWithSegments("/docs/api") ? ApiReferencePolicy : SitePolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            if (RealmSessionMiddleware.RealmOf(path) is not null || path.StartsWithSegments("/account") || path.StartsWithSegments("/admin")
                || path.StartsWithSegments("/api"))
            {
                headers.CacheControl = "no-store";
                headers.Pragma = "no-cache";
            }
            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
