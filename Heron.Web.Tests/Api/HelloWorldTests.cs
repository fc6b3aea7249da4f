using System.Net;
using System.Text.Json;
using Heron.Web.Organizations;
using Heron.Web.Tests.Infrastructure;

namespace Heron.Web.Tests.Api;

/// <summary>The contract's testing endpoints: <c>GET /api/hello_world</c> and <c>/api/hello_world/authenticated</c>.</summary>
public sealed class HelloWorldTests(HeronFactory factory) : IClassFixture<HeronFactory>
{
    [Fact]
    public async Task Hello_world_answers_anyone_without_a_key()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/api/hello_world");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["hello"], ApiAssert.FieldNames(body.RootElement));
        Assert.Equal(JsonValueKind.String, body.RootElement.GetProperty("hello").ValueKind);
    }

    [Fact]
    public async Task Authenticated_hello_world_tells_a_development_key_its_organization_and_dev()
    {
        var (slug, token) = await factory.OnboardWithKeyAsync();

        using var response = await factory.ClientWithKey(token).GetAsync("/api/hello_world/authenticated");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["environment", "hello", "organization"], ApiAssert.FieldNames(body.RootElement));
        Assert.Equal(JsonValueKind.String, body.RootElement.GetProperty("hello").ValueKind);
        Assert.Equal(slug, body.RootElement.GetProperty("organization").GetString());
        Assert.Equal("dev", body.RootElement.GetProperty("environment").GetString());
    }

    [Fact]
    public async Task Authenticated_hello_world_tells_a_production_key_prod()
    {
        var slug = await factory.OnboardAsync();
        await factory.GrantProductionAsync(slug);
        var token = await factory.IssueKeyAsync(slug, RealmKind.Production);

        using var response = await factory.ClientWithKey(token).GetAsync("/api/hello_world/authenticated");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(slug, body.RootElement.GetProperty("organization").GetString());
        Assert.Equal("prod", body.RootElement.GetProperty("environment").GetString());
    }

    [Theory]
    [InlineData("X-API-Key")]
    [InlineData("X-Api-Key")]
    public async Task The_header_name_is_case_insensitive(string headerName)
    {
        var (slug, token) = await factory.OnboardWithKeyAsync();
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/hello_world/authenticated");
        request.Headers.Add(headerName, token);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(slug, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Authenticated_hello_world_without_a_key_is_401_with_the_envelope()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/api/hello_world/authenticated");

        var description = await ApiAssert.SentenceEnvelopeAsync(response, HttpStatusCode.Unauthorized, "Unauthorized");
        Assert.Contains("x-api-key", description);
    }
}
