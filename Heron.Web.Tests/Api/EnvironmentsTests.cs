using System.Net;
using System.Text.Json;
using Heron.Web.Organizations;
using Heron.Web.Tests.Infrastructure;

namespace Heron.Web.Tests.Api;

/// <summary><c>GET /api/auth/environments</c>: the caller's organization and the environments it has.</summary>
public sealed class EnvironmentsTests(HeronFactory factory) : IClassFixture<HeronFactory>
{
    private const string Path = "/api/auth/environments";

    [Fact]
    public async Task Before_production_is_granted_only_dev_is_listed_and_is_the_default()
    {
        var name = $"Acme {Guid.NewGuid():N}";
        var slug = await factory.OnboardAsync(name);
        var token = await factory.IssueKeyAsync(slug);

        using var body = await GetEnvironmentsAsync(token);

        var root = body.RootElement;
        Assert.Equal(["default_environment", "organizations"], ApiAssert.FieldNames(root));
        Assert.Equal($"{slug}-dev", root.GetProperty("default_environment").GetString());
        var organization = Assert.Single(root.GetProperty("organizations").EnumerateArray());
        Assert.Equal(["environments", "name", "slug"], ApiAssert.FieldNames(organization));
        Assert.Equal(name, organization.GetProperty("name").GetString());
        Assert.Equal(slug, organization.GetProperty("slug").GetString());
        var environment = Assert.Single(organization.GetProperty("environments").EnumerateArray());
        AssertEnvironment(environment, "Development", "dev", $"{slug}-dev");
    }

    [Fact]
    public async Task After_production_is_granted_both_are_listed_and_each_key_defaults_to_its_own()
    {
        var slug = await factory.OnboardAsync();
        await factory.GrantProductionAsync(slug);
        var devToken = await factory.IssueKeyAsync(slug, RealmKind.Development);
        var prodToken = await factory.IssueKeyAsync(slug, RealmKind.Production);

        using var fromDev = await GetEnvironmentsAsync(devToken);
        using var fromProd = await GetEnvironmentsAsync(prodToken);

        Assert.Equal($"{slug}-dev", fromDev.RootElement.GetProperty("default_environment").GetString());
        Assert.Equal(slug, fromProd.RootElement.GetProperty("default_environment").GetString());
        foreach (var body in new[] { fromDev, fromProd })
        {
            var organization = Assert.Single(body.RootElement.GetProperty("organizations").EnumerateArray());
            Assert.Equal(slug, organization.GetProperty("slug").GetString());
            var environments = organization.GetProperty("environments").EnumerateArray().ToList();
            Assert.Equal(2, environments.Count);
            AssertEnvironment(environments.Single(e => e.GetProperty("environment").GetString() == "dev"), "Development", "dev", $"{slug}-dev");
            AssertEnvironment(environments.Single(e => e.GetProperty("environment").GetString() == "prod"), "Production", "prod", slug);
        }
    }

    [Fact]
    public async Task Another_organizations_environments_are_never_listed()
    {
        var (mine, token) = await factory.OnboardWithKeyAsync();
        var theirs = await factory.OnboardAsync();
        await factory.GrantProductionAsync(theirs);

        using var body = await GetEnvironmentsAsync(token);

        var text = body.RootElement.GetRawText();
        Assert.DoesNotContain(theirs, text);
        Assert.Equal(mine, Assert.Single(body.RootElement.GetProperty("organizations").EnumerateArray()).GetProperty("slug").GetString());
    }

    [Fact]
    public async Task Without_a_key_it_is_401()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(Path);

        await ApiAssert.SentenceEnvelopeAsync(response, HttpStatusCode.Unauthorized, "Unauthorized");
    }

    private async Task<JsonDocument> GetEnvironmentsAsync(string token)
    {
        using var client = factory.ClientWithKey(token);
        using var response = await client.GetAsync(Path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static void AssertEnvironment(JsonElement environment, string alias, string name, string username)
    {
        Assert.Equal(["alias", "environment", "username"], ApiAssert.FieldNames(environment));
        Assert.Equal(alias, environment.GetProperty("alias").GetString());
        Assert.Equal(name, environment.GetProperty("environment").GetString());
        Assert.Equal(username, environment.GetProperty("username").GetString());
    }
}
