using System.Net;
using Heron.Web.ApiKeys;
using Heron.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.ApiKeys;

/// <summary>A small refusal budget, so a flood that spends it takes a few dozen requests rather than 600.</summary>
public sealed class SmallRefusalBudgetFactory : HeronFactory
{
    public const int RefusalBudget = 20;

    public SmallRefusalBudgetFactory()
    {
        Settings["RateLimiting:RejectedPermitLimit"] = RefusalBudget.ToString();
        Settings["ApiKeys:UnknownTokenLookupsPerSecond"] = "5";
    }
}

/// <summary>
/// Every instance knows every live key's hash, so invented keys are refused from memory and a valid key works
/// at its first request on this instance whatever the refused traffic from its address did before it.
/// </summary>
public sealed class KeyDirectoryTests(SmallRefusalBudgetFactory factory) : IClassFixture<SmallRefusalBudgetFactory>
{
    private const string Hello = "/api/hello_world/authenticated";

    private ApiKeyDirectory Directory => factory.Services.GetRequiredService<ApiKeyDirectory>();

    [Fact]
    public async Task After_a_flood_spends_its_addresses_refusal_budget_a_valid_key_never_used_here_is_still_served()
    {
        var flooder = IPAddress.Parse("127.0.0.21");
        var slug = await factory.OnboardAsync();
        var token = await factory.IssueKeyAsync(slug, name: "never used");

        var flood = new List<RawResponse>();
        for (var i = 0; i < SmallRefusalBudgetFactory.RefusalBudget + 5; i++)
        {
            flood.Add(await factory.SendRawAsync("GET", Hello, new(ApiKeyToken.Generate()), clientIp: flooder));
        }
        Assert.Equal(429, flood[^1].StatusCode);
        Assert.All(flood.Take(SmallRefusalBudgetFactory.RefusalBudget), r => Assert.Equal(401, r.StatusCode));

        var honest = await factory.SendRawAsync("GET", Hello, new(token), clientIp: flooder);

        Assert.Equal(200, honest.StatusCode);
        Assert.Contains(slug, honest.Body);
    }

    [Fact]
    public async Task A_flood_of_different_invented_keys_costs_at_most_the_recheck_budget_in_queries()
    {
        var flooder = IPAddress.Parse("127.0.0.22");
        var before = Directory.DatabaseLookups;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ =>
            factory.SendRawAsync("GET", Hello, new(ApiKeyToken.Generate()), clientIp: flooder)));

        var lookups = Directory.DatabaseLookups - before;
        var seconds = (int)Math.Ceiling(clock.Elapsed.TotalSeconds) + 1;
        Assert.All(statuses, r => Assert.True(r.StatusCode is 401 or 429));
        Assert.True(lookups <= 5 * seconds, $"{lookups} database lookups for 200 invented keys in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task A_live_keys_details_are_read_once_then_it_is_answered_from_memory()
    {
        var slug = await factory.OnboardAsync();
        var client = factory.ClientWithKey(await factory.IssueKeyAsync(slug));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Hello)).StatusCode);
        var afterFirst = Directory.DatabaseLookups;
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Hello)).StatusCode);
        }

        Assert.Equal(afterFirst, Directory.DatabaseLookups);
    }
}

/// <summary>Keys that exist before an instance starts are loaded into its memory before it is ready.</summary>
public sealed class KeyDirectoryStartUpTests
{
    private const string Hello = "/api/hello_world/authenticated";

    [Fact]
    public async Task Keys_written_before_start_up_are_in_memory_deleted_ones_are_not_and_ready_says_loaded()
    {
        using var file = new TempSqliteFile();
        string slug, live, deactivated, deleted;
        await using (var before = new HeronFactoryOnFile(file.Path))
        {
            slug = await before.OnboardAsync();
            live = await before.IssueKeyAsync(slug, name: "live");
            deactivated = await before.IssueKeyAsync(slug, name: "deactivated");
            deleted = await before.IssueKeyAsync(slug, name: "deleted");
            var admin = before.ClientWithKey(live);
            var list = await admin.GetStringAsync("/api/credentials/keys");
            var ids = System.Text.Json.JsonDocument.Parse(list).RootElement.GetProperty("keys").EnumerateArray()
                .ToDictionary(k => k.GetProperty("name").GetString()!, k => k.GetProperty("heron_id").GetString()!);
            Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync($"/api/credentials/keys/{ids["deactivated"]}/deactivate", null)).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/credentials/keys/{ids["deleted"]}")).StatusCode);
        }

        await using var after = new HeronFactoryOnFile(file.Path);
        after.Settings["ApiKeys:UnknownTokenLookupsPerSecond"] = "0";
        after.StartServer();
        var ready = await after.CreateClient().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var directory = after.Services.GetRequiredService<ApiKeyDirectory>();
        Assert.True(directory.IsLoaded);
        Assert.Equal(2, directory.Count);

        Assert.True(directory.TryFindKnown(ApiKeyToken.Hash(ApiKeyToken.Generate()), out var invented));
        Assert.Null(invented);
        Assert.False(directory.TryFindKnown(ApiKeyToken.Hash(live), out _), "a live key's details are read at its first use");
        Assert.Equal(HttpStatusCode.OK, (await after.ClientWithKey(live).GetAsync(Hello)).StatusCode);
        var refusedDeactivated = await after.ClientWithKey(deactivated).GetAsync(Hello);
        Assert.Equal(HttpStatusCode.Unauthorized, refusedDeactivated.StatusCode);
        Assert.Contains("deactivated", await refusedDeactivated.Content.ReadAsStringAsync());
        // Deleted keys are not loaded: after a restart (and with no rechecks left) their token is refused as unknown, from memory.
        var lookups = directory.DatabaseLookups;
        var refusedDeleted = await after.ClientWithKey(deleted).GetAsync(Hello);
        Assert.Equal(HttpStatusCode.Unauthorized, refusedDeleted.StatusCode);
        Assert.Contains("Unknown API key", await refusedDeleted.Content.ReadAsStringAsync());
        Assert.Equal(lookups, directory.DatabaseLookups);
    }

    [Theory]
    [InlineData(20, HttpStatusCode.OK)]
    [InlineData(0, HttpStatusCode.Unauthorized)]
    public async Task A_key_created_on_another_instance_works_at_once_through_the_bounded_recheck_before_this_instance_polls(
        int rechecksPerSecond, HttpStatusCode expected)
    {
        await using var a = new HeronFactory();
        a.StartServer();
        await using var b = a.SecondInstance();
        // B reads the change feed once, at start-up, and then not for an hour: only the recheck can find the key.
        b.Settings["ApiKeys:ChangePollInterval"] = "01:00:00";
        b.Settings["ApiKeys:UnknownTokenLookupsPerSecond"] = rechecksPerSecond.ToString();
        b.StartServer();
        Assert.Equal(HttpStatusCode.OK, (await b.CreateClient().GetAsync("/health/ready")).StatusCode);

        var token = await a.IssueKeyAsync(await a.OnboardAsync());
        var response = await b.ClientWithKey(token).GetAsync(Hello);

        Assert.Equal(expected, response.StatusCode);
    }
}
