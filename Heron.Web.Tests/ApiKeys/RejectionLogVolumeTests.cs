using System.Net;
using Heron.Web.ApiKeys;
using Heron.Web.Tests.Infrastructure;
using Serilog.Events;

namespace Heron.Web.Tests.ApiKeys;

/// <summary>
/// A refused request is accounted for once, by the rejection log; the authentication handler adds no
/// per-request lines of its own, so a flood grows the log only by the folded events (and the request log).
/// </summary>
/// <remarks>
/// Runs alone: the app logs through Serilog's static logger (AddSerilog without preserveStaticLogger), so
/// while test classes run in parallel an event can reach the sink of the factory built last, and
/// "no such event" would prove nothing.
/// </remarks>
[Collection(nameof(RejectionLogVolumeTests))]
public sealed class RejectionLogVolumeTests(HeronFactory factory) : IClassFixture<HeronFactory>
{
    private const string HandlerSource = "Heron.Web.ApiKeys.ApiKeyAuthenticationHandler";

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
            e.Scalar("SourceContext") == HandlerSource && e.Level < LogEventLevel.Warning);
    }
}

[CollectionDefinition(nameof(RejectionLogVolumeTests), DisableParallelization = true)]
public sealed class RejectionLogVolumeCollection;
