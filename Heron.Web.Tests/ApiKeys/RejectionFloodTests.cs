using System.Net;
using Heron.Web.ApiKeys;
using Heron.Web.Tests.Infrastructure;
using Serilog.Events;

namespace Heron.Web.Tests.ApiKeys;

/// <summary>The production setting: ten identical rejections a second are logged one by one, the rest folded.</summary>
public sealed class FoldingFactory : HeronFactory
{
    public FoldingFactory() => Settings["ApiKeys:RejectionsLoggedPerSecond"] = "10";
}

public sealed class RejectionFloodTests(FoldingFactory factory) : IClassFixture<FoldingFactory>
{
    [Fact]
    public async Task Under_a_flood_identical_rejections_fold_into_counted_events_that_add_up_to_the_401s_served()
    {
        var token = ApiKeyToken.Generate();
        var prefix = ApiKeyToken.PrefixOf(token);
        var client = factory.ClientWithKey(token);
        const int requests = 120;

        var responses = await Task.WhenAll(Enumerable.Range(0, requests).Select(_ => client.GetAsync("/api/hello_world/authenticated")));
        var unauthorized = responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized);
        Assert.Equal(requests, unauthorized);

        IReadOnlyList<LogEvent> events = [];
        await Eventually.TrueAsync(() =>
        {
            events = factory.Log.Rejections.Where(e => e.Scalar("TokenPrefix") == prefix).ToList();
            return Task.FromResult(events.Sum(e => int.Parse(e.Scalar("Count")!)) == unauthorized);
        }, because: "the folded counts are written when their second ends");

        var seconds = events.Select(e => e.Scalar("Second")).Distinct().Count();
        Assert.True(events.Count <= seconds * 11, $"{events.Count} events over {seconds} s: the log's growth is bounded");
        Assert.Contains(events, e => int.Parse(e.Scalar("Count")!) > 1);
        Assert.All(events, e => Assert.Equal("unknown", e.Scalar("Reason")));
        Assert.DoesNotContain(token, factory.Log.AllText());
    }

    [Fact]
    public async Task At_normal_rates_each_rejection_is_its_own_event()
    {
        var token = ApiKeyToken.Generate();
        var prefix = ApiKeyToken.PrefixOf(token);
        var client = factory.ClientWithKey(token);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/credentials/keys")).StatusCode);
        }

        var events = factory.Log.Rejections.Where(e => e.Scalar("TokenPrefix") == prefix).ToList();
        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.Equal("1", e.Scalar("Count")));
    }
}

public sealed class RandomKeyFloodTests(FoldingFactory factory) : IClassFixture<FoldingFactory>
{
    [Fact]
    public async Task A_flood_of_different_invented_keys_from_one_client_also_folds_and_still_adds_up()
    {
        var flooder = System.Net.IPAddress.Parse("127.0.0.12");
        const int requests = 60;

        var statuses = await Task.WhenAll(Enumerable.Range(0, requests).Select(_ =>
            factory.SendRawAsync("GET", "/api/hello_world/authenticated", new(ApiKeyToken.Generate()), clientIp: flooder)));
        Assert.All(statuses, r => Assert.Equal(401, r.StatusCode));

        IReadOnlyList<LogEvent> events = [];
        await Eventually.TrueAsync(() =>
        {
            events = factory.Log.Rejections.Where(e => e.Scalar("ClientIp") == "127.0.0.12").ToList();
            return Task.FromResult(events.Sum(e => int.Parse(e.Scalar("Count")!)) == requests);
        }, because: "the folded counts are written when their second ends");

        var seconds = events.Select(e => e.Scalar("Second")).Distinct().Count();
        Assert.True(events.Count <= seconds * 11, $"{events.Count} events over {seconds} s for {requests} refusals");
        Assert.Contains(events, e => e.Scalar("TokenPrefix") == RejectionLog.MixedPrefixes && int.Parse(e.Scalar("Count")!) > 1);
    }
}
