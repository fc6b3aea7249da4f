using System.Net;
using Heron.Web.Tests.Infrastructure;

namespace Heron.Web.Tests;

/// <summary>Liveness and readiness probes, which need no key.</summary>
public sealed class HealthTests(HeronFactory factory) : IClassFixture<HeronFactory>
{
    [Fact]
    public async Task Live_answers_200()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ready_answers_200_healthy_when_the_database_is_reachable()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
