using Microsoft.AspNetCore.Diagnostics;

namespace Heron.Web.Api;

/// <summary>Every error under <c>/api</c> answers with the envelope, whoever produced it.</summary>
public static class ApiErrorHandling
{
    public static bool IsApiRequest(this HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    public static IApplicationBuilder UseApiErrorEnvelope(this IApplicationBuilder app)
    {
        // Routing's 404 and 405, and any bare status an endpoint returns, get the envelope.
        app.UseStatusCodePages(async context =>
        {
            if (context.HttpContext.IsApiRequest())
            {
                var status = context.HttpContext.Response.StatusCode;
                await ApiError.WriteAsync(context.HttpContext, status, ApiError.DefaultDescription(status));
            }
        });
        return app;
    }

    /// <summary>Unhandled exceptions: 500 with Heron's apology and no stack trace (it goes to the log).</summary>
    public static IApplicationBuilder UseHeronExceptionHandler(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = async context =>
            {
                var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
                var status = error is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
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
            },
        });
        return app;
    }
}
