using System.Net;
using System.Text.Json;
using Heron.Web.Tests.Infrastructure;

namespace Heron.Web.Tests.RateLimiting;

/// <summary>Five requests per endpoint per day, so no window boundary falls inside a test.</summary>
public sealed class RateLimitedFactory : HeronFactory
{
    public RateLimitedFactory()
    {
        Settings["RateLimiting:PermitLimit"] = "5";
        Settings["RateLimiting:Window"] = "1.00:00:00";
        Settings["RateLimiting:RejectedPermitLimit"] = "8";
        Settings["RateLimiting:Organizations:roomy-customer:PermitLimit"] = "50";
    }
}

public sealed class RateLimitTests(RateLimitedFactory factory) : IClassFixture<RateLimitedFactory>
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
        var attacker = factory.CreateClient();
        attacker.DefaultRequestHeaders.Add("x-api-key", Web.ApiKeys.ApiKeyToken.Generate());

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            statuses.Add((await attacker.GetAsync("/api/hello_world/authenticated")).StatusCode);
        }

        Assert.Equal(8, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        var customer = await client.GetAsync("/api/hello_world/authenticated");
        Assert.Equal(HttpStatusCode.OK, customer.StatusCode);
        Assert.Equal("4", Header(customer, "x-ratelimit-remaining"));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        Assert.Single(response.Headers.GetValues(name));
}
