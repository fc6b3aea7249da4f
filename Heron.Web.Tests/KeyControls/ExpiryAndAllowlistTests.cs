using System.Net;
using Heron.Web.Tests.Infrastructure;

namespace Heron.Web.Tests.KeyControls;

/// <summary>
/// An expired key is refused 401 from its expiry's very second on; a key used from outside its allowlist is
/// refused 403 naming the caller's address. Each refusal is logged once with its reason. The app's clock is
/// moved by hand, so nothing waits for time to pass.
/// </summary>
public sealed class ExpiryAndAllowlistTests(ClockedHeronFactory factory) : IClassFixture<ClockedHeronFactory>
{
    private const string Hello = "/api/hello_world/authenticated";

    [Fact]
    public async Task A_key_works_until_the_second_before_its_expiry_and_is_401_expired_from_it()
    {
        var (_, bootstrap) = await factory.OnboardWithKeyAsync();
        using var admin = factory.KeysApi(bootstrap);
        var expiresAt = factory.Clock.GetUtcNow().AddHours(1);
        expiresAt = expiresAt.AddTicks(-(expiresAt.Ticks % TimeSpan.TicksPerSecond));
        var key = await admin.CreateWithAsync(new { name = "short-lived", expires_at = expiresAt.ToString("yyyy-MM-ddTHH:mm:ssZ") });
        using var client = factory.ClientWithKey(key.Str("token"));

        factory.Clock.AdvanceTo(expiresAt.AddMilliseconds(-1000));
        using (var before = await client.GetAsync(Hello))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        factory.Clock.AdvanceTo(expiresAt);
        var rejectionsBefore = factory.Log.Rejections.Count;
        using var after = await client.GetAsync(Hello);
        var description = await ApiAssert.SentenceEnvelopeAsync(after, HttpStatusCode.Unauthorized, "Unauthorized");
        Assert.StartsWith($"This API key expired at {expiresAt:yyyy-MM-ddTHH:mm:ss}Z.", description);
        var rejection = Assert.Single(factory.Log.Rejections.Skip(rejectionsBefore));
        Assert.Equal("expired", rejection.Scalar("Reason"));
        Assert.Equal(key.Str("token_prefix"), rejection.Scalar("TokenPrefix"));
        Assert.DoesNotContain(key.Str("token"), factory.Log.AllText());
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.0/8")]
    [InlineData("0.0.0.0/0")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:127.0.0.0/104")]
    public async Task A_key_limited_to_addresses_that_include_the_caller_works(string entry)
    {
        var token = await LimitedKeyAsync(entry, "10.1.2.3");
        using var client = factory.ClientWithKey(token);
        using var response = await client.GetAsync(Hello);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.2")]
    [InlineData("126.255.255.255/32")]
    [InlineData("128.0.0.0/1")]
    [InlineData("203.0.113.0/24")]
    [InlineData("::1")]
    [InlineData("::/0")]
    public async Task A_key_used_from_outside_its_allowlist_is_403_naming_the_caller(string entry)
    {
        var token = await LimitedKeyAsync(entry);
        using var client = factory.ClientWithKey(token);
        var rejectionsBefore = factory.Log.Rejections.Count;

        using var response = await client.GetAsync(Hello);

        var description = await ApiAssert.SentenceEnvelopeAsync(response, HttpStatusCode.Forbidden, "Forbidden");
        Assert.StartsWith("This key cannot be used from 127.0.0.1.", description);
        var rejection = Assert.Single(factory.Log.Rejections.Skip(rejectionsBefore));
        Assert.Equal("ip_not_allowed", rejection.Scalar("Reason"));
        Assert.Equal("403", rejection.Scalar("Status"));
    }

    private async Task<string> LimitedKeyAsync(params string[] entries)
    {
        var (_, bootstrap) = await factory.OnboardWithKeyAsync();
        using var admin = factory.KeysApi(bootstrap);
        return (await admin.CreateWithAsync(new { name = "limited", allowed_ips = entries })).Str("token");
    }
}
