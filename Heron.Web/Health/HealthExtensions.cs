using Heron.Web.Api;
using Heron.Web.ApiKeys;
using Heron.Web.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Heron.Web.Health;

public static class HealthExtensions
{
    public const string ReadyTag = "ready";

    public static IHostApplicationBuilder AddHeronHealthChecks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddDbContextCheck<HeronDbContext>("database", tags: [ReadyTag])
            .AddCheck<DatabaseWritableCheck>("database-writable", tags: [ReadyTag])
            .AddCheck<ApiKeysLoadedCheck>("api-keys", tags: [ReadyTag]);
        return builder;
    }

    /// <summary>
    /// <c>/health/live</c>: the process answers. <c>/health/ready</c>: and its database can be read and
    /// written, and every API key is in memory. Not ready is 503 with Heron's envelope naming what is wrong.
    /// </summary>
    public static WebApplication MapHeronHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteReadinessAsync,
        });
        return app;
    }

    private static Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        if (report.Status != HealthStatus.Unhealthy)
        {
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync(report.Status.ToString());
        }
        var failing = report.Entries.Where(e => e.Value.Status == HealthStatus.Unhealthy)
            .Select(e => e.Value.Description ?? $"The {e.Key} check failed.");
        return ApiError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Not ready: " + string.Join(" ", failing));
    }
}

/// <summary>Not ready until every live key's hash is in memory: before that, requests with a key wait for it.</summary>
public sealed class ApiKeysLoadedCheck(ApiKeyDirectory directory) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(directory.IsLoaded
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The API keys are still being loaded into memory."));
}
