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
}
