using System.Net;
using System.Text.RegularExpressions;
using Heron.Web.ApiKeys;
using Heron.Web.Metrics;
using Heron.Web.Tests.Infrastructure;

namespace Heron.Web.Tests.Metrics;

public sealed class MetricsFactory : HeronFactory
{
    public MetricsFactory() => Settings["RateLimiting:RejectedPermitLimit"] = "3";
}

/// <summary><c>/metrics</c> from loopback (every test client is): Prometheus text with Heron's own instruments.</summary>
public sealed class MetricsTests(MetricsFactory factory) : IClassFixture<MetricsFactory>
{
    private const string Hello = "/api/hello_world/authenticated";

    [Fact]
    public async Task Loopback_reads_prometheus_text_with_keys_verified_by_outcome_and_reason_throttles_and_the_directory()
    {
        var token = await factory.IssueKeyAsync(await factory.OnboardAsync());
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientWithKey(token).GetAsync(Hello)).StatusCode);
        var flooder = IPAddress.Parse("127.0.0.31");
        for (var i = 0; i < 5; i++)
        {
            await factory.SendRawAsync("GET", Hello, new(ApiKeyToken.Generate()), clientIp: flooder);
        }
        await factory.SendRawAsync("GET", Hello, new("not-a-key"));

        var text = await Eventually.WaitForAsync(ScrapeAsync, t => Value(t, "heron_last_used_flush_duration_seconds_count") > 0,
            TimeSpan.FromSeconds(10), "the first last_used flush to be measured");

        Assert.True(Value(text, "heron_api_keys_verified_total", "outcome=\"accepted\"", "reason=\"valid\"") >= 1);
        Assert.True(Value(text, "heron_api_keys_verified_total", "outcome=\"refused\"", "reason=\"unknown\"") >= 3);
        Assert.True(Value(text, "heron_api_keys_verified_total", "outcome=\"refused\"", "reason=\"malformed\"") >= 1);
        Assert.True(Value(text, "heron_rate_limit_throttled_total", "scope=\"refused_keys\"") >= 2);
        // Gauges: the hosts of other test classes in this process observe under the same meter name, so only presence is asserted.
        Assert.True(Value(text, "heron_api_keys_in_memory") >= 0);
        Assert.True(Value(text, "heron_outbox_queue_depth") >= 0);
        Assert.Contains("heron_last_used_flush_duration_seconds_bucket{otel_scope_name=\"Heron\",le=\"0.001\"}", text);
        var lag = Value(text, "heron_api_key_change_feed_lag_seconds");
        Assert.InRange(lag, 0, 5);
        Assert.Contains("http_server_request_duration_seconds", text);
        Assert.DoesNotContain(token, text);
    }

    private async Task<string> ScrapeAsync()
    {
        using var response = await factory.CreateClient().GetAsync(MetricsExtensions.Path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum of a metric's samples whose labels include every one given (hosts in this process share a meter name).</summary>
    private static double Value(string text, string name, params string[] labels) =>
        text.Split('\n')
            .Where(line => Regex.IsMatch(line, $"^{Regex.Escape(name)}(\\{{| )") && labels.All(line.Contains))
            // name{labels} value [timestamp]
            .Select(line => double.Parse(line[(line.LastIndexOf('}') is var close and >= 0 ? close + 1 : name.Length)..]
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture))
            .DefaultIfEmpty(-1)
            .Sum();
}

/// <summary>Who may read <c>/metrics</c>: loopback and the configured management networks, nobody else.</summary>
public sealed class MetricsAccessTests
{
    private static readonly IReadOnlyList<System.Net.IPNetwork> Management = MetricsAccess.Parse(["10.20.0.0/16", " fd00::/8 "]);

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.5.6.7", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.20.3.4", true)]
    [InlineData("::ffff:10.20.3.4", true)]
    [InlineData("fd12::1", true)]
    [InlineData("10.21.0.1", false)]
    [InlineData("192.168.1.10", false)]
    [InlineData("8.8.8.8", false)]
    [InlineData("2001:db8::1", false)]
    public void Loopback_and_the_management_networks_are_allowed_and_nobody_else(string address, bool allowed) =>
        Assert.Equal(allowed, MetricsAccess.IsAllowed(IPAddress.Parse(address), Management));

    [Fact]
    public void Without_configured_networks_only_loopback_is_allowed_and_no_address_is_refused()
    {
        Assert.True(MetricsAccess.IsAllowed(IPAddress.Loopback, []));
        Assert.False(MetricsAccess.IsAllowed(IPAddress.Parse("10.20.3.4"), []));
        Assert.False(MetricsAccess.IsAllowed(null, Management));
    }

    [Fact]
    public void A_malformed_network_stops_start_up_with_a_clear_message()
    {
        var error = Assert.Throws<InvalidOperationException>(() => MetricsAccess.Parse(["10.0.0.0/33"]));
        Assert.Contains("CIDR", error.Message);
    }
}
