using System.Net;
using OpenTelemetry.Metrics;

namespace Heron.Web.Metrics;

/// <summary>The <c>Metrics</c> configuration section.</summary>
public sealed class MetricsOptions
{
    /// <summary>Networks besides loopback that may read <c>/metrics</c>, in CIDR notation (<c>10.0.0.0/8</c>).</summary>
    public List<string> AllowedNetworks { get; set; } = [];
}

public static class MetricsExtensions
{
    public const string Path = "/metrics";

    /// <summary>
    /// OpenTelemetry metrics: Heron's meter, ASP.NET Core's and the runtime's; Prometheus text at <c>/metrics</c>,
    /// and OTLP too when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter reads the standard OTEL_* variables).
    /// </summary>
    public static IHostApplicationBuilder AddHeronMetrics(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<MetricsOptions>(builder.Configuration.GetSection("Metrics"));
        builder.Services.AddSingleton<HeronMetrics>();
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(HeronMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                // Every scrape sees the counts of that moment; the exporter's default would serve a copy for 300 ms.
                .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
            if (otlp)
            {
                metrics.AddOtlpExporter();
            }
        });
        return builder;
    }

    /// <summary><c>/metrics</c> answers loopback and the configured management networks; anyone else gets 404.</summary>
    public static WebApplication MapHeronMetrics(this WebApplication app)
    {
        var networks = MetricsAccess.Parse(app.Configuration.GetSection("Metrics").Get<MetricsOptions>()?.AllowedNetworks ?? []);
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: branch => branch.Use((context, next) =>
        {
            if (MetricsAccess.IsAllowed(context.Connection.RemoteIpAddress, networks))
            {
                return next(context);
            }
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }), optionsName: null);
        return app;
    }
}

/// <summary>Who may read the metrics: the network predicate, apart so it can be checked for any address.</summary>
public static class MetricsAccess
{
    /// <summary>Parses CIDR networks; a malformed one stops start-up rather than silently exposing or hiding metrics.</summary>
    public static IReadOnlyList<IPNetwork> Parse(IEnumerable<string> networks) =>
        networks.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => IPNetwork.TryParse(n.Trim(), out var network)
            ? network
            : throw new InvalidOperationException($"Metrics:AllowedNetworks has '{n}', which is not a network in CIDR notation (10.0.0.0/8).")).ToList();

    public static bool IsAllowed(IPAddress? address, IReadOnlyList<IPNetwork> networks)
    {
        if (address is null)
        {
            return false;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        return IPAddress.IsLoopback(address) || networks.Any(network => network.Contains(address));
    }
}
