using System.Net;
using Heron.Web.ApiKeys;
using Heron.Web.Tests.Infrastructure;
using Serilog.Events;

namespace Heron.Web.Tests.ApiKeys;

/// <summary>
/// A refused request is accounted for once, by the rejection log; nothing else in the key check or in
/// ASP.NET Core's authentication adds per-request lines, so a flood grows the log only by the folded
/// events (and the request log).
/// </summary>
public sealed class RejectionLogVolumeTests(HeronFactory factory) : IClassFixture<HeronFactory>
{
    private static readonly string[] QuietSources = ["Heron.Web.ApiKeys", "Microsoft.AspNetCore.Authentication", "Microsoft.AspNetCore.Authorization"];

    [Fact]
    public async Task Refused_and_anonymous_requests_add_no_per_request_events_from_the_handler()
    {
        var token = ApiKeyToken.Generate();
        var client = factory.ClientWithKey(token);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/hello_world/authenticated")).StatusCode);
        }
        var anonymous = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/hello_world")).StatusCode);

        Assert.Equal(5, factory.Log.Rejections.Count(e => e.Scalar("TokenPrefix") == ApiKeyToken.PrefixOf(token)));
        Assert.DoesNotContain(factory.Log.Events, e =>
            QuietSources.Any(source => e.Scalar("SourceContext")?.StartsWith(source, StringComparison.Ordinal) == true)
            && e.Level < LogEventLevel.Warning
            // Once per start-up, not per request: how many keys were loaded into memory.
            && !e.MessageTemplate.Text.StartsWith("Loaded {KeyCount} API keys", StringComparison.Ordinal));
    }
}
