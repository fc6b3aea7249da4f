using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Heron.Web.ApiKeys;

public static class ApiKeysExtensions
{
    public static IHostApplicationBuilder AddApiKeys(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<ApiKeyOptions>(builder.Configuration.GetSection("ApiKeys"));
        services.AddSingleton<ApiKeyDirectory>();
        services.AddSingleton<LastUsedRecorder>();
        services.AddSingleton<RejectionLog>();
        services.AddSingleton<ApiKeyVerifier>();
        services.AddScoped<ApiKeyService>();
        services.AddHostedService<LastUsedFlusher>();
        services.AddSingleton<UsageRecorder>();
        services.AddScoped<KeyUsageService>();
        services.AddHostedService<UsageFlusher>();
        services.AddHostedService<ApiKeyChangeFeed>();
        services.AddScoped<ExpiryNotifier>();
        services.AddHostedService<ExpiryNotifierService>();
        // Kestrel answers a header with a non-ASCII byte with a bare 400; x-api-key is read as Latin-1 instead,
        // so such a key reaches the check and is refused as malformed, with the envelope that says what to fix.
        services.Configure<KestrelServerOptions>(kestrel => kestrel.RequestHeaderEncodingSelector = header =>
            string.Equals(header, ApiKeyVerifier.HeaderName, StringComparison.OrdinalIgnoreCase) ? Encoding.Latin1 : null);
        return builder;
    }

    /// <summary>Every endpoint of the group needs a valid key unless it says <c>AllowAnonymous()</c>.</summary>
    public static RouteGroupBuilder RequireApiKey(this RouteGroupBuilder group) => group.WithMetadata(RequiresApiKey.Instance);

    public static IApplicationBuilder UseApiKeys(this IApplicationBuilder app) => app.UseMiddleware<ApiKeyMiddleware>();
}
