using Heron.Web.ApiKeys;
using Heron.Web.Site;
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
    /// Each host owns its logger rather than the process-wide <see cref="Log.Logger"/>: with two hosts in one
    /// process (tests, a second instance) the static logger sends one host's events to the other and is
    /// closed for both when either host stops.
    /// </summary>
    public static WebApplicationBuilder AddHeronLogging(this WebApplicationBuilder builder, bool cli)
    {
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddSerilog(preserveStaticLogger: true, configureLogger: (services, logging) =>
        {
            logging.ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext()
                .Enrich.With<TokenRedactingEnricher>();
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
            // Without it the middleware writes to the static logger, which this host does not use.
            options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            // A request refused as unreadable (413 and the like) is a warning, with its reason and no stack trace.
            options.GetLevel = (context, _, error) =>
                error is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
                : context.Items.ContainsKey(Site.SiteExtensions.BadRequestKey) ? LogEventLevel.Warning
                : LogEventLevel.Information;
            options.EnrichDiagnosticContext = (diagnostics, context) =>
            {
                if (context.Items[Site.SiteExtensions.BadRequestKey] is string reason)
                {
                    diagnostics.Set("BadRequestReason", reason);
                }
            };
            options.GetMessageTemplateProperties = (context, path, elapsed, status) =>
            [
                new("RequestMethod", new ScalarValue(context.Request.Method)),
                new("RequestPath", new ScalarValue(TokenRedactor.Redact(path))),
                new("StatusCode", new ScalarValue(status)),
                new("Elapsed", new ScalarValue(elapsed)),
            ];
        });
        app.UseBadRequestAnswers();
        return app;
    }
}
