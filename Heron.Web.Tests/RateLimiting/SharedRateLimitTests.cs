using System.Net;
using Heron.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.RateLimiting;

/// <summary>Three instances sharing one database and the throwaway Redis, 100 requests per customer per day.</summary>
public sealed class ThreeInstancesWithRedis : IAsyncLifetime
{
    public HeronFactory[] Instances { get; private set; } = [];

    public Task InitializeAsync()
    {
        var first = new HeronFactory();
        Instances = [first, first.SecondInstance(), first.SecondInstance()];
        foreach (var instance in Instances)
        {
            SharedRateLimits.Configure(instance, TestServices.Redis);
            instance.StartServer();
        }
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in Instances.Reverse())
        {
            await instance.DisposeAsync();
        }
    }
}

/// <summary>
/// <c>RateLimiting:Redis</c>: a customer's window is one window whichever instance serves it, within a
/// small documented overshoot, and <c>x-ratelimit-remaining</c> counts every instance's requests.
/// </summary>
public sealed class SharedRateLimitTests(ThreeInstancesWithRedis three) : IClassFixture<ThreeInstancesWithRedis>
{
    [Fact]
    public async Task Three_hundred_requests_over_three_instances_are_allowed_100_plus_or_minus_5()
    {
        var token = await three.Instances[0].IssueKeyAsync(await three.Instances[0].OnboardAsync());
        // Four clients per instance at once, as a customer's workers behind a load balancer would send them.
        var senders = three.Instances.SelectMany(instance => Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            using var client = instance.ClientWithKey(token);
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 25; i++)
            {
                using var response = await client.GetAsync(SharedRateLimits.Hello);
                statuses.Add(response.StatusCode);
            }
            return statuses;
        }))).ToList();
        var all = (await Task.WhenAll(senders)).SelectMany(s => s).ToList();

        Assert.Equal(300, all.Count);
        Assert.All(all, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, s.ToString()));
        Assert.All(three.Instances, i => Assert.DoesNotContain(i.Log.Events, e => e.MessageTemplate.Text.StartsWith("Redis is unreachable")));
        Assert.InRange(all.Count(s => s == HttpStatusCode.OK), 95, 105);
    }

    [Fact]
    public async Task Remaining_counts_the_requests_every_instance_served()
    {
        var (a, b, c) = (three.Instances[0], three.Instances[1], three.Instances[2]);
        var token = await a.IssueKeyAsync(await a.OnboardAsync());
        using var onA = a.ClientWithKey(token);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await onA.GetAsync(SharedRateLimits.Hello)).StatusCode);
        }

        await SharedRateLimits.ReconciledAsync(a);
        using var onB = b.ClientWithKey(token);
        using var onC = c.ClientWithKey(token);
        Assert.Equal("89", await SharedRateLimits.RemainingAsync(onB));
        Assert.Equal("88", await SharedRateLimits.RemainingAsync(onC));
    }
}

internal static class SharedRateLimits
{
    public const string Hello = "/api/hello_world/authenticated";

    /// <summary>100 a day, so no window boundary falls inside a test; counted through <paramref name="redis"/>.</summary>
    public static void Configure(HeronFactory instance, string redis)
    {
        instance.Settings["RateLimiting:Redis"] = redis;
        instance.Settings["RateLimiting:PermitLimit"] = "100";
        instance.Settings["RateLimiting:Window"] = "1.00:00:00";
    }

    /// <summary>Waits until the instance has added every request it counted to Redis (one reconciliation, 50 ms).</summary>
    public static Task ReconciledAsync(HeronFactory instance) =>
        Eventually.TrueAsync(() => Task.FromResult(
            instance.Services.GetRequiredService<Web.RateLimiting.SharedWindowCounter>().Unsynced == 0),
            because: "the instance to reconcile its counts with Redis");

    public static async Task<string> RemainingAsync(HttpClient client)
    {
        using var response = await client.GetAsync(Hello);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.Single(response.Headers.GetValues("x-ratelimit-remaining"));
    }
}
