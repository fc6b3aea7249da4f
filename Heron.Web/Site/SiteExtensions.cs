using Heron.Web.Api;
using Microsoft.AspNetCore.Diagnostics;

namespace Heron.Web.Site;

/// <summary>What the whole site shares: its public address and how it answers an unhandled error.</summary>
public static class SiteExtensions
{
    public static IHostApplicationBuilder AddSite(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<HeronOptions>(builder.Configuration.GetSection("Heron"));
        TrustedProxies.Configure(builder.Services, builder.Configuration);
        return builder;
    }

    /// <summary>Client address and scheme from the trusted proxies' headers (<see cref="TrustedProxies"/>); before anything reads them.</summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app)
    {
        var configuration = app.ApplicationServices.GetRequiredService<IConfiguration>();
        return TrustedProxies.AnyConfigured(configuration) ? app.UseForwardedHeaders() : app;
    }

    /// <summary>Security headers on every response (<see cref="BrowserHardeningMiddleware"/>); first, so errors carry them too.</summary>
    public static IApplicationBuilder UseBrowserHardening(this IApplicationBuilder app) => app.UseMiddleware<BrowserHardeningMiddleware>();

    /// <summary>Unhandled exceptions: 500 with Heron's apology and no stack trace (it goes to the log).</summary>
    public static IApplicationBuilder UseHeronExceptionHandler(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = async context =>
            {
                var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
                await WriteErrorAsync(context, error is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError);
            },
        });
        return app;
    }

    /// <summary>
    /// A request the server refused to read (a body over Kestrel's limit, a malformed request line) is the
    /// client's error: answered with its own status here, inside the request log, so it is logged as that
    /// status at warning rather than as a 500 with a stack trace by every middleware it would cross.
    /// </summary>
    public static IApplicationBuilder UseBadRequestAnswers(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (BadHttpRequestException bad) when (!context.Response.HasStarted)
            {
                context.Items[BadRequestKey] = bad.Message;
                context.Response.Clear();
                await WriteErrorAsync(context, bad.StatusCode);
            }
        });

    /// <summary>Set on requests answered by <see cref="UseBadRequestAnswers"/>: the request log logs them at warning.</summary>
    public const string BadRequestKey = "heron:bad-request";

    private static async Task WriteErrorAsync(HttpContext context, int status)
    {
        if (context.IsApiRequest())
        {
            await ApiError.WriteAsync(context, status, ApiError.DefaultDescription(status));
            return;
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(status >= 500
            ? "Something went wrong - sorry about that! Please try again."
            : "The request could not be understood.");
    }
}
