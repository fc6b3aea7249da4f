using System.Net;
using System.Text;
using System.Text.Json;
using Heron.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.Infrastructure;

/// <summary>The real app with a <see cref="ShiftableClock"/> as its <see cref="TimeProvider"/>.</summary>
public sealed class ClockedHeronFactory : HeronFactory
{
    public ShiftableClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>Calls of the key-controls API (create with controls, roll, usage) on a <see cref="KeysApi"/>.</summary>
public static class KeyControlsApi
{
    public static Task<HttpResponseMessage> PostJsonAsync(this KeysApi api, string path, object body) =>
        api.Client.PostAsync(path, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));

    /// <summary>Creates a key from an anonymous object (snake_case names); asserts 201 and returns the body.</summary>
    public static async Task<JsonElement> CreateWithAsync(this KeysApi api, object body)
    {
        using var response = await api.CreateResponseAsync(JsonSerializer.Serialize(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<HttpResponseMessage> RollResponseAsync(this KeysApi api, string heronId, string? body) =>
        api.Client.PostAsync($"{KeysApi.Path}/{heronId}/roll",
            body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"));

    /// <summary>Rolls a key; asserts 201 and returns the new key's <c>ApiKeyCreated</c>.</summary>
    public static async Task<JsonElement> RollAsync(this KeysApi api, string heronId, int graceSeconds)
    {
        using var response = await api.RollResponseAsync(heronId, $$"""{"grace_period_seconds": {{graceSeconds}}}""");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;

    public static string[] Strings(this JsonElement element, string property) =>
        element.GetProperty(property).EnumerateArray().Select(e => e.GetString()!).ToArray();
}

/// <summary>The app with a <see cref="ShiftableClock"/>, delivering its mail to a real SMTP server on loopback.</summary>
public sealed class ClockedMailingHeronFactory : MailingHeronFactory
{
    public ShiftableClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>One pass of the expiry notifier, as its timer would run it (the test host's timer never does); returns how many keys it wrote a notice for.</summary>
    public Task<int> NotifyExpiriesAsync() =>
        WithScopeAsync(services => services.GetRequiredService<Web.ApiKeys.ExpiryNotifier>().NotifyAsync(CancellationToken.None));
}
