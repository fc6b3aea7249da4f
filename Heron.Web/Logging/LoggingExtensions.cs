using Heron.Web.ApiKeys;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Heron.Web.Logging;

public static class LoggingExtensions
{
    /// <summary>
    /// Serilog for everything: readable text in Development, compact JSON elsewhere. In CLI mode every
    /// event goes to stderr so stdout carries only the verb's result. Sinks registered as
    /// <see cref="Serilog.Core.ILogEventSink"/> services are added too (tests capture events that way).
    /// </summary>
    public static WebApplicationBuilder AddHeronLogging(this WebApplicationBuilder builder, bool cli)
    {
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddSerilog((services, logging) =>
        {
            // The x-api-key handler inherits ASP.NET Core's per-request Information events ("was not
            // authenticated", "was challenged"), logged under its own category so the "Microsoft" override
            // misses them. RejectionLog already accounts for every refusal, folding a flood into counted
            // events; these would add one or two unfolded lines per refused request (and one per request
            // to an anonymous endpoint). Warnings and errors still pass; configuration can lower it again.
            logging.MinimumLevel.Override(typeof(ApiKeyAuthenticationHandler).FullName!, LogEventLevel.Warning);
            logging.ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext();
            if (cli)
            {
                logging.MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
                    .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose,
                        outputTemplate: "{Level:u3}: {Message:lj}{NewLine}{Exception}");
            }
            else if (development)
            {
                logging.WriteTo.Console(
                    outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
            }
            else
            {
                logging.WriteTo.Console(new RenderedCompactJsonFormatter());
            }
        });
        return builder;
    }

    /// <summary>One line per request, with any token-shaped text in the path redacted.</summary>
    public static WebApplication UseHeronRequestLogging(this WebApplication app)
    {
        app.UseSerilogRequestLogging(options =>
        {
            options.GetMessageTemplateProperties = (context, path, elapsed, status) =>
            [
                new("RequestMethod", new ScalarValue(context.Request.Method)),
                new("RequestPath", new ScalarValue(TokenRedactor.Redact(path))),
                new("StatusCode", new ScalarValue(status)),
                new("Elapsed", new ScalarValue(elapsed)),
            ];
        });
        return app;
    }
}
