namespace Heron.Web.Retention;

public static class RetentionExtensions
{
    public static IHostApplicationBuilder AddRetention(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<RetentionOptions>(builder.Configuration.GetSection("Retention"));
        builder.Services.AddHostedService<RetentionJob>();
        return builder;
    }
}
