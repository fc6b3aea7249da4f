using Microsoft.AspNetCore.Authentication;

namespace Heron.Web.ApiKeys;

public static class ApiKeysExtensions
{
    /// <summary>The authorization policy every <c>/api</c> endpoint gets unless it is explicitly anonymous.</summary>
    public const string PolicyName = "x-api-key";

    public static IHostApplicationBuilder AddApiKeys(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<ApiKeyOptions>(builder.Configuration.GetSection("ApiKeys"));
        services.AddSingleton<ApiKeyDirectory>();
        services.AddSingleton<LastUsedRecorder>();
        services.AddSingleton<RejectionLog>();
        services.AddScoped<ApiKeyService>();
        services.AddHostedService<LastUsedFlusher>();
        services.AddHostedService<ApiKeyChangeFeed>();

        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(PolicyName, policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser());
        return builder;
    }
}
