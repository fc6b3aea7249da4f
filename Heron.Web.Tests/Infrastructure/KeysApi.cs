using System.Net;
using System.Text;
using System.Text.Json;
using Heron.Web.ApiKeys;
using Heron.Web.Data;
using Heron.Web.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.Infrastructure;

/// <summary><c>/api/credentials/keys</c> as a client calls it with one key.</summary>
public sealed class KeysApi(HttpClient client) : IDisposable
{
    public const string Path = "/api/credentials/keys";

    public HttpClient Client => client;

    public Task<HttpResponseMessage> ListResponseAsync() => client.GetAsync(Path);

    /// <summary>The listed keys; asserts 200.</summary>
    public async Task<List<JsonElement>> ListAsync()
    {
        using var response = await ListResponseAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["keys"], ApiAssert.FieldNames(document.RootElement));
        return document.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.Clone()).ToList();
    }

    public async Task<JsonElement?> FindAsync(string heronId) =>
        (await ListAsync()).Cast<JsonElement?>().SingleOrDefault(k => k!.Value.GetProperty("heron_id").GetString() == heronId);

    public Task<HttpResponseMessage> CreateResponseAsync(string body, string contentType = "application/json") =>
        client.PostAsync(Path, new StringContent(body, Encoding.UTF8, contentType));

    /// <summary>Creates a key; asserts 201 and returns the <c>ApiKeyCreated</c> body.</summary>
    public async Task<JsonElement> CreateAsync(string name)
    {
        using var response = await CreateResponseAsync(JsonSerializer.Serialize(new { name }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    public Task<HttpResponseMessage> DeactivateAsync(string heronId) => client.PutAsync($"{Path}/{heronId}/deactivate", null);

    public Task<HttpResponseMessage> ActivateAsync(string heronId) => client.PutAsync($"{Path}/{heronId}/activate", null);

    public Task<HttpResponseMessage> DeleteAsync(string heronId) => client.DeleteAsync($"{Path}/{heronId}");

    public void Dispose() => client.Dispose();
}

public static class KeysApiExtensions
{
    public static KeysApi KeysApi(this HeronFactory factory, string token) => new(factory.ClientWithKey(token));

    /// <summary>A fresh organization and one development key of it.</summary>
    public static async Task<(string Slug, string Token)> OnboardWithKeyAsync(this HeronFactory factory, string keyName = "bootstrap")
    {
        var slug = await factory.OnboardAsync();
        return (slug, await factory.IssueKeyAsync(slug, RealmKind.Development, keyName));
    }

    /// <summary>The heron_id of the key a token belongs to, looked up by the token's hash as the app does.</summary>
    public static Task<string> HeronIdOfAsync(this HeronFactory factory, string token) =>
        factory.WithScopeAsync(services =>
        {
            var hash = ApiKeyToken.Hash(token);
            return services.GetRequiredService<HeronDbContext>().ApiKeys
                .Where(k => k.TokenHash == hash).Select(k => k.HeronId).SingleAsync();
        });

    /// <summary>The prefix that is safe to show: never print a whole token in test output.</summary>
    public static string Shown(string token) => token.Length > ApiKeyToken.PrefixLength ? token[..ApiKeyToken.PrefixLength] + "…" : token;
}
