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
}

/// <summary>The status, and for a 200 which organization and environment the key belongs to.</summary>
public sealed record HelloAnswer(int Status, string? Organization, string? Environment);
