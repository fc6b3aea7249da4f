using System.Net;
using System.Net.Http.Json;
using Heron.Web.Tests.Infrastructure;

namespace Heron.Web.Tests;

public sealed class SmokeTests(HeronFactory factory) : IClassFixture<HeronFactory>
{
    [Fact]
    public async Task Issued_key_answers_authenticated_hello_world_with_its_organization()
    {
        var slug = await factory.OnboardAsync();
        var token = await factory.IssueKeyAsync(slug);

        var response = await factory.ClientWithKey(token).GetAsync("/api/hello_world/authenticated");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>();
        Assert.Equal(slug, body!["organization"]);
        Assert.Equal("dev", body["environment"]);
    }
}
