using System.Net;
using Heron.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.RateLimiting;

/// <summary>Three instances sharing one database and the throwaway Redis, 100 requests per customer per day.</summary>
public class ThreeInstancesWithRedis : IAsyncLifetime
{
    public HeronFactory[] Instances { get; private set; } = [];

    /// <summary>Unset: every 50 ms, as in production.</summary>
    protected virtual string? ReconcileInterval => null;

    public Task InitializeAsync()
    {
        var first = new HeronFactory();
        Instances = [first, first.SecondInstance(), first.SecondInstance()];
        foreach (var instance in Instances)
        {
            SharedRateLimits.Configure(instance, TestServices.Redis);
            if (ReconcileInterval is { } interval)
            {
                instance.Settings["RateLimiting:ReconcileInterval"] = interval;
            }
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

/// <summary>The same three, reconciling only when a test says so: what each instance knows stays as old as the test makes it.</summary>
public sealed class ThreeInstancesReconciledByHand : ThreeInstancesWithRedis
{
    protected override string? ReconcileInterval => "01:00:00";

    public Task ReconcileAsync() => Task.WhenAll(Instances.Select(i => SharedRateLimits.Counter(i).ReconcileAsync()));
}

/// <summary>
/// <c>RateLimiting:Redis</c>: a customer's window is one window whichever instance serves it, never
/// passing its limit, and <c>x-ratelimit-remaining</c> counts every instance's requests.
/// </summary>
public sealed class SharedRateLimitTests(ThreeInstancesWithRedis three) : IClassFixture<ThreeInstancesWithRedis>
{
    [Fact]
    public async Task Three_hundred_requests_over_three_instances_are_allowed_at_most_100_and_at_least_95()
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
        // Never past the limit; short of it only by permits an instance leased and had no request left to use.
        Assert.InRange(all.Count(s => s == HttpStatusCode.OK), 95, 100);
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

/// <summary>
/// Leases: permits an instance takes from what is still free, so however old an instance's view of a window,
/// the window never passes its limit.
/// </summary>
public sealed class SharedRateLimitLeaseTests(ThreeInstancesReconciledByHand three) : IClassFixture<ThreeInstancesReconciledByHand>
{
    [Fact]
    public async Task An_instance_that_served_a_window_early_cannot_take_it_past_the_limit_after_the_others_spent_it()
    {
        var (a, b, c) = (three.Instances[0], three.Instances[1], three.Instances[2]);
        var token = await a.IssueKeyAsync(await a.OnboardAsync());
        using var onA = a.ClientWithKey(token);
        using var onB = b.ClientWithKey(token);
        using var onC = c.ClientWithKey(token);

        // A serves the window first, while it is empty; then B spends it; then A comes back with a burst.
        // No reconciliation in between: A still knows the window as it found it, nearly empty.
        var served = await ServedAsync(onA, 1) + await ServedAsync(onB, 150) + await ServedAsync(onA, 50);
        Assert.InRange(served, 1, 100);

        // Two reconciliations with no request in between: every quiet instance gives back what it leased and
        // did not use, and the rest of the window is there for whoever asks: exactly 100 in all, none lost.
        await three.ReconcileAsync();
        await three.ReconcileAsync();
        Assert.All(three.Instances, i => Assert.Equal(0, SharedRateLimits.Counter(i).Leased));
        served += await ServedAsync(onC, 100);
        Assert.Equal(100, served);
    }

    private static async Task<int> ServedAsync(HttpClient client, int requests)
    {
        var served = 0;
        for (var i = 0; i < requests; i++)
        {
            using var response = await client.GetAsync(SharedRateLimits.Hello);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, response.StatusCode.ToString());
            served += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
        }
        return served;
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
        Eventually.TrueAsync(() => Task.FromResult(Counter(instance).Unreconciled == 0),
            because: "the instance to reconcile its counts with Redis");

    public static Web.RateLimiting.SharedWindowCounter Counter(HeronFactory instance) =>
        instance.Services.GetRequiredService<Web.RateLimiting.SharedWindowCounter>();

    public static async Task<string> RemainingAsync(HttpClient client)
    {
        using var response = await client.GetAsync(Hello);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.Single(response.Headers.GetValues("x-ratelimit-remaining"));
    }
}
