using System.Net;
using System.Text.Json;
using Heron.Web.Tests.Infrastructure;

namespace Heron.Web.Tests.RateLimiting;

/// <summary>Five requests per endpoint per day, so no window boundary falls inside a test.</summary>
public sealed class RateLimitedFactory : HeronFactory
{
    public RateLimitedFactory() => Apply(Settings);

    public static void Apply(Dictionary<string, string?> settings)
    {
        settings["RateLimiting:PermitLimit"] = "5";
        settings["RateLimiting:Window"] = "1.00:00:00";
        settings["RateLimiting:RejectedPermitLimit"] = "8";
        settings["RateLimiting:Organizations:roomy-customer:PermitLimit"] = "50";
    }
}

public sealed class PostgresRateLimitedFactory : PostgresHeronFactory
{
    public PostgresRateLimitedFactory() => RateLimitedFactory.Apply(Settings);
}

public sealed class RateLimitTests(RateLimitedFactory factory) : RateLimits(factory), IClassFixture<RateLimitedFactory>;

public sealed class RateLimitOnPostgresTests(PostgresRateLimitedFactory factory) : RateLimits(factory), IClassFixture<PostgresRateLimitedFactory>;

public abstract class RateLimits(HeronFactory factory)
{
    [Fact]
    public async Task Every_response_says_the_limit_what_remains_and_when_the_window_refills()
    {
        var token = await factory.IssueKeyAsync(await factory.OnboardAsync());
        var client = factory.ClientWithKey(token);

        var first = await client.GetAsync("/api/credentials/keys");
        var second = await client.GetAsync("/api/credentials/keys");

        Assert.Equal("5", Header(first, "x-ratelimit-limit"));
        Assert.Equal("4", Header(first, "x-ratelimit-remaining"));
        Assert.Equal("3", Header(second, "x-ratelimit-remaining"));
        var reset = DateTimeOffset.FromUnixTimeSeconds(long.Parse(Header(first, "x-ratelimit-reset")));
        Assert.InRange(reset, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1).AddSeconds(1));
        Assert.Equal(0, reset.ToUnixTimeSeconds() % 86400);
    }

    [Fact]
    public async Task Over_the_limit_a_customer_gets_429_with_the_envelope_saying_the_limit_and_other_endpoints_still_answer()
    {
        var client = factory.ClientWithKey(await factory.IssueKeyAsync(await factory.OnboardAsync()));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/hello_world/authenticated")).StatusCode);
        }

        var throttled = await client.GetAsync("/api/hello_world/authenticated");

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal("0", Header(throttled, "x-ratelimit-remaining"));
        using var body = JsonDocument.Parse(await throttled.Content.ReadAsStringAsync());
        Assert.Equal(429, body.RootElement.GetProperty("code").GetInt32());
        Assert.Equal("Too Many Requests", body.RootElement.GetProperty("name").GetString());
        Assert.Equal("5 per 1 day", body.RootElement.GetProperty("description").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/credentials/keys")).StatusCode);
    }

    [Fact]
    public async Task Keys_of_one_credential_set_share_its_quota_and_other_customers_are_unaffected()
    {
        var slug = await factory.OnboardAsync();
        var first = factory.ClientWithKey(await factory.IssueKeyAsync(slug));
        var second = factory.ClientWithKey(await factory.IssueKeyAsync(slug));
        var other = factory.ClientWithKey(await factory.IssueKeyAsync(await factory.OnboardAsync()));
        for (var i = 0; i < 5; i++)
        {
            await first.GetAsync("/api/auth/environments");
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await second.GetAsync("/api/auth/environments")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/auth/environments")).StatusCode);
    }

    [Fact]
    public async Task An_organization_can_have_its_own_limit()
    {
        var client = factory.ClientWithKey(await factory.IssueKeyAsync(await factory.OnboardAsync("Roomy Customer")));

        var response = await client.GetAsync("/api/hello_world/authenticated");

        Assert.Equal("50", Header(response, "x-ratelimit-limit"));
    }

    [Fact]
    public async Task Rejected_requests_never_count_against_the_customer_and_are_throttled_per_client()
    {
        var client = factory.ClientWithKey(await factory.IssueKeyAsync(await factory.OnboardAsync()));
        var attacker = System.Net.IPAddress.Parse("127.0.0.11");
        var invented = Web.ApiKeys.ApiKeyToken.Generate();

        var statuses = new List<int>();
        for (var i = 0; i < 10; i++)
        {
            statuses.Add((await factory.SendRawAsync("GET", "/api/hello_world/authenticated", new(invented), clientIp: attacker)).StatusCode);
        }

        Assert.Equal(8, statuses.Count(s => s == 401));
        Assert.Equal(2, statuses.Count(s => s == 429));
        var customer = await client.GetAsync("/api/hello_world/authenticated");
        Assert.Equal(HttpStatusCode.OK, customer.StatusCode);
        Assert.Equal("4", Header(customer, "x-ratelimit-remaining"));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        Assert.Single(response.Headers.GetValues(name));
}

public sealed class RejectionBudgetTests(RateLimitedFactory factory) : RejectionBudget(factory), IClassFixture<RateLimitedFactory>;

public sealed class RejectionBudgetOnPostgresTests(PostgresRateLimitedFactory factory) : RejectionBudget(factory), IClassFixture<PostgresRateLimitedFactory>;

public abstract class RejectionBudget(HeronFactory factory)
{
    private static readonly System.Net.IPAddress Flooder = System.Net.IPAddress.Parse("127.0.0.9");

    [Fact]
    public async Task A_client_over_its_refusal_budget_keeps_every_valid_key_even_unseen_ones_and_its_invented_tokens_get_429()
    {
        var (_, known) = await factory.OnboardWithKeyAsync();
        Assert.Equal(200, (await factory.SendRawAsync("GET", "/api/hello_world/authenticated", new(known), clientIp: Flooder)).StatusCode);
        for (var i = 0; i < 8; i++)
        {
            var refused = await factory.SendRawAsync("GET", "/api/hello_world/authenticated", new(Web.ApiKeys.ApiKeyToken.Generate()), clientIp: Flooder);
            Assert.Equal(401, refused.StatusCode);
        }
        var unseen = await factory.IssueKeyAsync(await factory.OnboardAsync());

        var knownAfter = await factory.SendRawAsync("GET", "/api/hello_world/authenticated", new(known), clientIp: Flooder);
        var unseenAfter = await factory.SendRawAsync("GET", "/api/hello_world/authenticated", new(unseen), clientIp: Flooder);
        var inventedAfter = await factory.SendRawAsync("GET", "/api/hello_world/authenticated", new(Web.ApiKeys.ApiKeyToken.Generate()), clientIp: Flooder);

        // The refusal budget only shapes refused traffic (issue 13): a valid key is never answered 429 by it.
        Assert.Equal(200, knownAfter.StatusCode);
        Assert.Equal(200, unseenAfter.StatusCode);
        Assert.Equal(429, inventedAfter.StatusCode);
        var last = factory.Log.Rejections.Last(e => e.Scalar("ClientIp") == "127.0.0.9");
        Assert.Equal("unknown", last.Scalar("Reason"));
        Assert.Equal("429", last.Scalar("Status"));
    }
}
