using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace Heron.Web.Tests.Infrastructure;

/// <summary>Every Serilog event the app writes, as structured events.</summary>
public sealed class CapturedLog : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    public IReadOnlyList<LogEvent> Events => _events.ToList();

    /// <summary>The x-api-key rejection events, newest last.</summary>
    public IReadOnlyList<LogEvent> Rejections => Events.Where(IsRejection).ToList();

    public static bool IsRejection(LogEvent e) =>
        e.Properties.TryGetValue("SourceContext", out var source) && source is ScalarValue { Value: "Heron.Web.ApiKeys.RejectionLog" };

    /// <summary>Everything written, rendered and with all properties, for "never logged" assertions.</summary>
    public string AllText() => string.Join("\n", Events.Select(e =>
        e.RenderMessage() + " " + string.Join(" ", e.Properties.Select(p => p.Value.ToString())) + " " + e.Exception));
}

public static class LogEventExtensions
{
    public static string? Scalar(this LogEvent e, string property) =>
        e.Properties.TryGetValue(property, out var value) && value is ScalarValue { Value: var raw } ? raw?.ToString() : null;
}
