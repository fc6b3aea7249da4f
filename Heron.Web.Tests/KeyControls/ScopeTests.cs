using System.Net;
using Heron.Web.ApiKeys;
using Heron.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.KeyControls;

/// <summary>
/// Each scope on each endpoint: a key without the scope an endpoint declares gets 403 naming it (logged once as
/// <c>scope</c>), a key with it gets through; a key can never issue a scope it lacks.
/// </summary>
public sealed class ScopeTests(HeronFactory factory) : IClassFixture<HeronFactory>
{
    public static TheoryData<string, string, string?> Endpoints => new()
    {
        { "GET /api/credentials/keys", "credentials:read", null },
        { "GET /api/auth/environments", "credentials:read", null },
        { "GET /api/credentials/keys/{id}/usage", "credentials:read", null },
        { "GET /api/hello_world/authenticated", "", null },
        { "POST /api/credentials/keys", "credentials:write", """{"name": "made", "scopes": ["credentials:write"]}""" },
        { "PUT /api/credentials/keys/{id}/deactivate", "credentials:write", null },
        { "PUT /api/credentials/keys/{id}/activate", "credentials:write", null },
        { "POST /api/credentials/keys/{id}/roll", "credentials:write", """{"grace_period_seconds": 60}""" },
        { "DELETE /api/credentials/keys/{id}", "credentials:write", null },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Each_endpoint_admits_exactly_the_keys_with_its_scope(string endpoint, string needed, string? body)
    {
        foreach (var scope in new[] { "credentials:read", "credentials:write" })
        {
            var (_, bootstrap) = await factory.OnboardWithKeyAsync();
            using var admin = factory.KeysApi(bootstrap);
            // The target of {id}: a write-only key (so a write-only caller may roll it).
            var target = await admin.CreateWithAsync(new { name = "target", scopes = new[] { "credentials:write" } });
            var caller = await admin.CreateWithAsync(new { name = "caller", scopes = new[] { scope } });
            using var client = factory.ClientWithKey(caller.Str("token"));

            var (method, path) = (endpoint.Split(' ')[0], endpoint.Split(' ')[1].Replace("{id}", target.Str("heron_id")));
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null)
            {
                request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            }
            var rejectionsBefore = factory.Log.Rejections.Count;
            using var response = await client.SendAsync(request);

            if (needed == "" || needed == scope)
            {
                Assert.True(response.IsSuccessStatusCode, $"{endpoint} with {scope}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                continue;
            }
            var description = await ApiAssert.SentenceEnvelopeAsync(response, HttpStatusCode.Forbidden, "Forbidden");
            Assert.Equal($"This key lacks the {needed} scope.", description);
            var rejection = Assert.Single(factory.Log.Rejections.Skip(rejectionsBefore));
            Assert.Equal("scope", rejection.Scalar("Reason"));
            Assert.Equal("403", rejection.Scalar("Status"));
            Assert.Equal(caller.Str("token_prefix"), rejection.Scalar("TokenPrefix"));
        }
    }

    [Fact]
    public void Every_endpoint_that_needs_a_key_declares_a_scope_or_that_it_needs_none()
    {
        factory.StartServer();
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Where(e => e.Metadata.GetMetadata<RequiresApiKey>() is not null && e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .ToList();
        Assert.NotEmpty(endpoints);
        Assert.All(endpoints, e => Assert.True(
            e.Metadata.GetMetadata<ApiScope>() is not null || e.Metadata.GetMetadata<NeedsNoScope>() is not null, e.DisplayName));
    }

    [Fact]
    public async Task An_endpoint_that_declares_no_scope_is_refused_to_every_key()
    {
        var (_, token) = await factory.OnboardWithKeyAsync();
        var key = (await factory.Services.GetRequiredService<ApiKeyDirectory>().FindAsync(ApiKeyToken.Hash(token), default))!;

        var refused = ApiScopes.Check(key, new EndpointMetadataCollection(RequiresApiKey.Instance));

        Assert.NotNull(refused);
        Assert.Equal(RejectionReason.Scope, refused.Reason);
        Assert.Equal(403, refused.Status);
        Assert.Null(ApiScopes.Check(key, new EndpointMetadataCollection(RequiresApiKey.Instance, ApiScopes.CredentialsWrite)));
    }

    [Theory]
    [InlineData("""{"name": "all"}""", "credentials:read")]
    [InlineData("""{"name": "both", "scopes": ["credentials:read", "credentials:write"]}""", "credentials:read")]
    public async Task A_key_cannot_create_a_key_with_a_scope_it_lacks(string body, string lacking)
    {
        var (_, bootstrap) = await factory.OnboardWithKeyAsync();
        using var admin = factory.KeysApi(bootstrap);
        var writer = await admin.CreateWithAsync(new { name = "writer", scopes = new[] { "credentials:write" } });
        using var api = factory.KeysApi(writer.Str("token"));

        using var response = await api.CreateResponseAsync(body);

        var description = await ApiAssert.SentenceEnvelopeAsync(response, HttpStatusCode.Forbidden, "Forbidden");
        Assert.StartsWith($"This key lacks the {lacking} scope, so it cannot issue a key that has it.", description);
        Assert.Equal(2, (await admin.ListAsync()).Count);
    }

    [Fact]
    public async Task A_key_cannot_roll_a_key_with_a_scope_it_lacks()
    {
        var (_, bootstrap) = await factory.OnboardWithKeyAsync();
        using var admin = factory.KeysApi(bootstrap);
        var writer = await admin.CreateWithAsync(new { name = "writer", scopes = new[] { "credentials:write" } });
        using var api = factory.KeysApi(writer.Str("token"));
        var full = await factory.HeronIdOfAsync(bootstrap);

        using var response = await api.RollResponseAsync(full, """{"grace_period_seconds": 0}""");

        await ApiAssert.SentenceEnvelopeAsync(response, HttpStatusCode.Forbidden, "Forbidden");
        Assert.Equal(2, (await admin.ListAsync()).Count);
        using var stillWorks = await admin.ListResponseAsync();
        Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);
    }
}
