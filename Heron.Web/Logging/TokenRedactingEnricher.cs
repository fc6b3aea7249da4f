using Serilog.Core;
using Serilog.Events;

namespace Heron.Web.Logging;

/// <summary>
/// Redacts token-shaped text in every string property of every event, including those the event did not set
/// itself: ASP.NET Core's request scope adds the raw <c>RequestPath</c> to everything logged during a request,
/// so a token pasted into a URL would otherwise reach the log through any event.
/// </summary>
public sealed class TokenRedactingEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? redacted = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (value is ScalarValue { Value: string text } && TokenRedactor.Redact(text) is { } safe && safe != text)
            {
                (redacted ??= []).Add(new LogEventProperty(name, new ScalarValue(safe)));
            }
        }
        foreach (var property in redacted ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }
}
