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
        return builder;
    }

    /// <summary>Every endpoint of the group needs a valid key unless it says <c>AllowAnonymous()</c>.</summary>
    public static RouteGroupBuilder RequireApiKey(this RouteGroupBuilder group) => group.WithMetadata(RequiresApiKey.Instance);

    public static IApplicationBuilder UseApiKeys(this IApplicationBuilder app) => app.UseMiddleware<ApiKeyMiddleware>();
}
