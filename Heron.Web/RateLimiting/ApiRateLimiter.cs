using Heron.Web.Api;
using Heron.Web.ApiKeys;
using Heron.Web.Health;
using Microsoft.Extensions.Options;

namespace Heron.Web.RateLimiting;

/// <summary>
/// Heron's rate limits: a fixed window per endpoint and per customer (organization and realm), or per
/// client address for anonymous endpoints. Every response says where the caller stands in
/// <c>x-ratelimit-limit</c>, <c>x-ratelimit-remaining</c> and <c>x-ratelimit-reset</c>; a throttled
/// request gets 429 with the envelope. Rejected requests are counted per client address, apart from
/// any customer's quota.
/// </summary>
public sealed class ApiRateLimiter(FixedWindowCounter counter, IOptionsMonitor<RateLimitOptions> options, SharedWindowCounter? shared = null)
{
    public const string LimitHeader = "x-ratelimit-limit";
    public const string RemainingHeader = "x-ratelimit-remaining";
    public const string ResetHeader = "x-ratelimit-reset";

    /// <summary>
    /// A customer's window is counted across instances when Redis is configured (<see cref="SharedWindowCounter"/>);
    /// anonymous callers' windows, per client address, stay per instance.
    /// </summary>
    public ValueTask<RateLimitDecision> CountRequestAsync(HttpContext context, ApiCaller? caller, string endpoint)
    {
        var current = options.CurrentValue;
        var (limit, window) = (current.PermitLimit, current.Window);
        string partition;
        if (caller is not null)
        {
            if (current.Organizations.TryGetValue(caller.OrganizationSlug, out var custom))
            {
                (limit, window) = (custom.PermitLimit ?? limit, custom.Window ?? window);
            }
            partition = $"{caller.OrganizationId}:{caller.RealmId}:{endpoint}";
            if (shared is not null)
            {
                // Named by slug and realm kind, which every instance (and database restore) agrees on.
                return shared.CountAsync($"{caller.OrganizationSlug}:{caller.RealmKind}:{endpoint}", limit, window);
            }
        }
        else
        {
            partition = $"ip:{Common.ClientAddress.Of(context)}:{endpoint}";
        }
        return ValueTask.FromResult(counter.Count(partition, limit, window));
    }

    /// <summary>Counts a refused request against its client address (<see cref="Common.ClientAddress"/>).</summary>
    public RateLimitDecision CountRejection(string? clientAddress)
    {
        var current = options.CurrentValue;
        return counter.Count(RejectedPartition(clientAddress), current.RejectedPermitLimit, current.Window);
    }

    private static string RejectedPartition(string? clientAddress) => $"rejected:{clientAddress}";

    public static void WriteHeaders(HttpResponse response, RateLimitDecision decision)
    {
        response.Headers[LimitHeader] = decision.Limit.ToString();
        response.Headers[RemainingHeader] = decision.Remaining.ToString();
        response.Headers[ResetHeader] = decision.ResetUnixSeconds.ToString();
    }

    public static Task WriteThrottledAsync(HttpContext context, RateLimitDecision decision)
    {
        WriteHeaders(context.Response, decision);
        context.Response.Headers.RetryAfter = Math.Max(1, decision.ResetUnixSeconds - DateTimeOffset.UtcNow.ToUnixTimeSeconds()).ToString();
        return ApiError.WriteAsync(context, StatusCodes.Status429TooManyRequests, Describe(decision));
    }

    /// <summary>"100 per 1 minute", as Heron's contract words it.</summary>
    public static string Describe(RateLimitDecision decision)
    {
        var w = decision.Window;
        var (amount, unit) = w.TotalDays >= 1 && w.TotalDays % 1 == 0 ? (w.TotalDays, "day")
            : w.TotalHours >= 1 && w.TotalHours % 1 == 0 ? (w.TotalHours, "hour")
            : w.TotalMinutes >= 1 && w.TotalMinutes % 1 == 0 ? (w.TotalMinutes, "minute")
            : (w.TotalSeconds, "second");
        return $"{decision.Limit} per {amount:0.###} {unit}{(amount == 1 ? "" : "s")}";
    }
}

public static class RateLimitingExtensions
{
    public static IHostApplicationBuilder AddHeronRateLimiting(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<RateLimitOptions>(builder.Configuration.GetSection("RateLimiting"));
        builder.Services.AddSingleton<FixedWindowCounter>();
        if (!string.IsNullOrWhiteSpace(builder.Configuration["RateLimiting:Redis"]))
        {
            builder.Services.AddSingleton<RedisWindowStore>();
            builder.Services.AddSingleton<SharedWindowCounter>();
            builder.Services.AddSingleton(sp => new ApiRateLimiter(
                sp.GetRequiredService<FixedWindowCounter>(), sp.GetRequiredService<IOptionsMonitor<RateLimitOptions>>(), sp.GetRequiredService<SharedWindowCounter>()));
            builder.Services.AddHostedService<RateLimitReconciler>();
            builder.Services.AddHealthChecks().AddCheck<RedisRateLimitHealthCheck>("rate-limits", tags: [HealthExtensions.ReadyTag]);
        }
        else
        {
            builder.Services.AddSingleton(sp => new ApiRateLimiter(
                sp.GetRequiredService<FixedWindowCounter>(), sp.GetRequiredService<IOptionsMonitor<RateLimitOptions>>()));
        }
        builder.Services.AddHostedService<RateLimitSweeper>();
        return builder;
    }

    /// <summary>Counts each request to an API endpoint against its window; runs after authentication.</summary>
    public static RouteGroupBuilder WithRateLimits(this RouteGroupBuilder api)
    {
        api.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            var limiter = context.RequestServices.GetRequiredService<ApiRateLimiter>();
            var endpoint = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? "";
            var decision = await limiter.CountRequestAsync(context, context.Features.Get<ApiCaller>(), $"{context.Request.Method} {endpoint}");
            if (!decision.Allowed)
            {
                context.RequestServices.GetRequiredService<Metrics.HeronMetrics>()
                    .Throttled(context.Features.Get<ApiCaller>() is null ? Metrics.ThrottleScope.Anonymous : Metrics.ThrottleScope.Customer);
                await ApiRateLimiter.WriteThrottledAsync(context, decision);
                return Results.Empty;
            }
            ApiRateLimiter.WriteHeaders(context.Response, decision);
            return await next(invocation);
        });
        return api;
    }
}

/// <summary>Drops the counters of windows that have ended, once a minute.</summary>
public sealed class RateLimitSweeper(FixedWindowCounter counter, IOptionsMonitor<RateLimitOptions> options, TimeProvider clock,
    SharedWindowCounter? shared = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var longest = options.CurrentValue.Organizations.Values.Select(o => o.Window ?? TimeSpan.Zero)
                    .Append(options.CurrentValue.Window).Max();
                counter.Sweep(longest);
                shared?.Sweep();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
