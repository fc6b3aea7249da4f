using System.Net;
using System.Text.Json;
using Heron.Web.ApiKeys;
using Heron.Web.Data;
using Heron.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.KeyControls;

/// <summary>
/// <c>GET /api/credentials/keys/{heron_id}/usage</c>: accepted and refused requests per minute and per hour, counted
/// in memory, added into shared rows by every instance, and pruned after the retention period.
/// </summary>
public sealed class UsageTests : IClassFixture<HeronFactory>
{
    private const string Hello = "/api/hello_world/authenticated";
    private readonly HeronFactory _factory;

    public UsageTests(HeronFactory factory)
    {
        _factory = factory;
        _factory.Settings["ApiKeys:UsageFlushInterval"] = "00:00:00.200";
    }

    [Fact]
    public async Task Accepted_and_refused_requests_show_in_the_minute_and_hour_buckets()
    {
        var (_, bootstrap) = await _factory.OnboardWithKeyAsync();
        using var admin = _factory.KeysApi(bootstrap);
        var key = await admin.CreateWithAsync(new { name = "counted" });
        using var client = _factory.ClientWithKey(key.Str("token"));
        for (var i = 0; i < 3; i++)
        {
            using var ok = await client.GetAsync(Hello);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using (var off = await admin.DeactivateAsync(key.Str("heron_id")))
        {
            Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        }
        for (var i = 0; i < 2; i++)
        {
            using var refused = await client.GetAsync(Hello);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        // Flushed, then read back from the database.
        await Eventually.TrueAsync(async () => await StoredAsync(_factory, key.Str("heron_id")) == (3, 2), because: "the usage flush writes the counts");
        var minute = await UsageAsync(admin, key.Str("heron_id"), "minute");
        Assert.Equal("minute", minute.Str("interval"));
        var minutes = minute.GetProperty("buckets").EnumerateArray().ToList();
        Assert.Equal(60, minutes.Count);
        Assert.All(minutes, b => Assert.Equal(0, DateTime.Parse(b.Str("start")).ToUniversalTime().Second));
        Assert.Equal(3, minutes.Sum(b => b.GetProperty("accepted").GetInt64()));
        Assert.Equal(2, minutes.Sum(b => b.GetProperty("rejected").GetInt64()));

        var hour = await UsageAsync(admin, key.Str("heron_id"), "hour");
        var hours = hour.GetProperty("buckets").EnumerateArray().ToList();
        Assert.Equal(168, hours.Count);
        Assert.All(hours, b => Assert.Equal(0, DateTime.Parse(b.Str("start")).ToUniversalTime().Minute));
        Assert.Equal(3, hours.Sum(b => b.GetProperty("accepted").GetInt64()));
        Assert.Equal(2, hours.Sum(b => b.GetProperty("rejected").GetInt64()));
        Assert.True(hours.Last().GetProperty("accepted").GetInt64() + hours[^2].GetProperty("accepted").GetInt64() == 3);
    }

    [Fact]
    public async Task Two_instances_add_their_counts_into_the_same_rows()
    {
        var (_, bootstrap) = await _factory.OnboardWithKeyAsync();
        using var admin = _factory.KeysApi(bootstrap);
        var key = await admin.CreateWithAsync(new { name = "shared" });
        await using var second = _factory.SecondInstance();
        second.Settings["ApiKeys:UsageFlushInterval"] = "00:00:00.200";
        using var first = _factory.ClientWithKey(key.Str("token"));
        using var other = second.ClientWithKey(key.Str("token"));

        var calls = Enumerable.Range(0, 10).Select(async i =>
        {
            using var response = await (i % 2 == 0 ? first : other).GetAsync(Hello);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        });
        await Task.WhenAll(calls);

        await Eventually.TrueAsync(async () => await StoredAsync(_factory, key.Str("heron_id")) == (10, 0),
            because: "both instances flush into the shared rows");
        using var onSecond = second.KeysApi(bootstrap);
        var minutes = (await UsageAsync(onSecond, key.Str("heron_id"), "minute")).GetProperty("buckets").EnumerateArray();
        Assert.Equal(10, minutes.Sum(b => b.GetProperty("accepted").GetInt64()));
    }

    [Fact]
    public async Task Buckets_older_than_the_retention_period_are_pruned()
    {
        var (_, bootstrap) = await _factory.OnboardWithKeyAsync();
        var heronId = await _factory.HeronIdOfAsync(bootstrap);
        var now = DateTime.UtcNow;
        await _factory.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HeronDbContext>();
            var keyId = await db.ApiKeys.Where(k => k.HeronId == heronId).Select(k => k.Id).SingleAsync();
            db.ApiKeyUsageBuckets.AddRange(
                new ApiKeyUsageBucket { ApiKeyId = keyId, Start = Minute(now.AddDays(-91)), Accepted = 5 },
                new ApiKeyUsageBucket { ApiKeyId = keyId, Start = Minute(now.AddDays(-89)), Accepted = 7 });
            return await db.SaveChangesAsync();
        });

        await _factory.Services.GetRequiredService<UsageRecorder>().PruneAsync(TimeSpan.FromDays(90), default);

        Assert.Equal((7, 0), await StoredAsync(_factory, heronId));
    }

    [Theory]
    [InlineData("day")]
    [InlineData("HOUR")]
    [InlineData("")]
    public async Task An_unknown_interval_is_400_naming_the_query_field(string interval)
    {
        var (_, bootstrap) = await _factory.OnboardWithKeyAsync();
        using var admin = _factory.KeysApi(bootstrap);
        using var response = await admin.Client.GetAsync($"{KeysApi.Path}/{await _factory.HeronIdOfAsync(bootstrap)}/usage?interval={interval}");
        var description = await ApiAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest, "Bad Request");
        Assert.Equal("Must be one of: hour, minute.",
            description.GetProperty("query").GetProperty("interval").GetProperty("_schema")[0].GetString());
    }

    [Fact]
    public async Task An_unknown_key_or_one_of_another_organization_is_404()
    {
        var (_, bootstrap) = await _factory.OnboardWithKeyAsync();
        var (_, otherToken) = await _factory.OnboardWithKeyAsync();
        using var admin = _factory.KeysApi(bootstrap);
        foreach (var heronId in new[] { "key_nosuchkey", await _factory.HeronIdOfAsync(otherToken) })
        {
            using var response = await admin.Client.GetAsync($"{KeysApi.Path}/{heronId}/usage");
            Assert.Equal("Key not found", await ApiAssert.SentenceEnvelopeAsync(response, HttpStatusCode.NotFound, "Not Found"));
        }
    }

    private static DateTime Minute(DateTime at) => new(at.Ticks - at.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);

    private static async Task<JsonElement> UsageAsync(KeysApi api, string heronId, string interval)
    {
        using var response = await api.Client.GetAsync($"{KeysApi.Path}/{heronId}/usage?interval={interval}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        Assert.Equal(["buckets", "heron_id", "interval"], ApiAssert.FieldNames(body));
        Assert.Equal(heronId, body.Str("heron_id"));
        return body;
    }

    private static Task<(long, long)> StoredAsync(HeronFactory factory, string heronId) =>
        factory.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<HeronDbContext>();
            var keyId = await db.ApiKeys.Where(k => k.HeronId == heronId).Select(k => k.Id).SingleAsync();
            var rows = await db.ApiKeyUsageBuckets.Where(b => b.ApiKeyId == keyId).ToListAsync();
            return (rows.Sum(r => r.Accepted), rows.Sum(r => r.Rejected));
        });
}
