using System.Net.Http.Headers;
using System.Text.Json;

namespace Heron.E2E.Infrastructure;

/// <summary>Heron's API as a customer's service calls it: over HTTP, with the key in <c>x-api-key</c>.</summary>
public sealed class HeronApi(Uri serverAddress)
{
    private static readonly HttpClient Http = new();

    /// <summary><c>GET /api/hello_world/authenticated</c> with <paramref name="token"/>.</summary>
    public async Task<HelloAnswer> HelloAuthenticatedAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(serverAddress, "/api/hello_world/authenticated"));
        request.Headers.Add("x-api-key", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        string? organization = null, environment = null;
        if (response.IsSuccessStatusCode)
        {
            using var json = JsonDocument.Parse(body);
            organization = json.RootElement.GetProperty("organization").GetString();
            environment = json.RootElement.GetProperty("environment").GetString();
        }
        return new HelloAnswer((int)response.StatusCode, organization, environment);
    }

    /// <summary><c>GET /api/credentials/keys</c> with <paramref name="token"/>: the keys of its credential set (needs <c>credentials:read</c>).</summary>
    public Task<ApiAnswer> ListKeysAsync(string token) => SendAsync(HttpMethod.Get, "/api/credentials/keys", token);

    /// <summary><c>POST /api/credentials/keys</c> with <paramref name="token"/>, creating a key named <paramref name="name"/> (needs <c>credentials:write</c>).</summary>
    public Task<ApiAnswer> CreateKeyAsync(string token, string name) =>
        SendAsync(HttpMethod.Post, "/api/credentials/keys", token, JsonSerializer.Serialize(new { name }));

    private async Task<ApiAnswer> SendAsync(HttpMethod method, string path, string token, string? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(serverAddress, path));
        request.Headers.Add("x-api-key", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        string? description = null;
        if (!response.IsSuccessStatusCode && body.Length > 0)
        {
            using var error = JsonDocument.Parse(body);
            if (error.RootElement.TryGetProperty("description", out var text) && text.ValueKind == JsonValueKind.String)
            {
                description = text.GetString();
            }
        }
        return new ApiAnswer((int)response.StatusCode, description);
    }
}

/// <summary>The status, and for a 200 which organization and environment the key belongs to.</summary>
public sealed record HelloAnswer(int Status, string? Organization, string? Environment);

/// <summary>The status, and for an error the envelope's <c>description</c> (why the request was refused).</summary>
public sealed record ApiAnswer(int Status, string? Description);
