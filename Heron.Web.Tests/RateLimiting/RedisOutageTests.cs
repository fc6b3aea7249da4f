using System.Net;
using Heron.Web.Tests.Infrastructure;
using Serilog.Events;

namespace Heron.Web.Tests.RateLimiting;

/// <summary>
/// Redis going away never stops the API: requests are counted per instance, one warning is logged for the
/// outage, readiness says Degraded (still 200), and counting is global again once Redis is back.
/// </summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    private readonly RedisTestServer _redis = new();
    private HeronFactory _a = null!;
    private HeronFactory _b = null!;

    public async Task InitializeAsync()
    {
        await _redis.StartAsync();
        _a = new HeronFactory();
        _b = _a.SecondInstance();
        foreach (var instance in new[] { _a, _b })
        {
            SharedRateLimits.Configure(instance, _redis.ConnectionString);
            instance.StartServer();
        }
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Requests_are_served_through_an_outage_with_one_warning_and_Degraded_readiness_and_counting_goes_global_again()
    {
        Assert.Equal("Healthy", await ReadinessAsync(_a));
        await AssertGlobalAsync();

        await _redis.StopAsync();
        var token = await _a.IssueKeyAsync(await _a.OnboardAsync());
        using var onA = _a.ClientWithKey(token);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await onA.GetAsync(SharedRateLimits.Hello)).StatusCode);
        }
        // Counted on this instance alone meanwhile: B has not seen this customer's 20 requests.
        using var onB = _b.ClientWithKey(token);
        Assert.Equal("99", await SharedRateLimits.RemainingAsync(onB));
        Assert.Equal("Degraded", await ReadinessAsync(_a));
        Assert.Single(Warnings(_a));

        await _redis.StartAsync();
        await Eventually.TrueAsync(async () => await ReadinessAsync(_a) == "Healthy" && await ReadinessAsync(_b) == "Healthy",
            TimeSpan.FromSeconds(20), "both instances to find Redis again");
        await AssertGlobalAsync();
        Assert.Single(Warnings(_a));
        Assert.Contains(_a.Log.Events, e => e.Level == LogEventLevel.Information && e.MessageTemplate.Text.StartsWith("Redis is back"));
    }

    /// <summary>A new customer's 5 requests on A show in B's remaining at once.</summary>
    private async Task AssertGlobalAsync()
    {
        var token = await _a.IssueKeyAsync(await _a.OnboardAsync());
        using var onA = _a.ClientWithKey(token);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await onA.GetAsync(SharedRateLimits.Hello)).StatusCode);
        }
        await SharedRateLimits.ReconciledAsync(_a);
        using var onB = _b.ClientWithKey(token);
        Assert.Equal("94", await SharedRateLimits.RemainingAsync(onB));
    }

    private static List<LogEvent> Warnings(HeronFactory instance) =>
        instance.Log.Events.Where(e => e.Level == LogEventLevel.Warning && e.MessageTemplate.Text.StartsWith("Redis is unreachable")).ToList();

    private static async Task<string> ReadinessAsync(HeronFactory instance)
    {
        using var client = instance.CreateClient();
        using var response = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
