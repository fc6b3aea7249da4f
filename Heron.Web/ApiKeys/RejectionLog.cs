using System.Diagnostics;
using Heron.Web.Logging;

namespace Heron.Web.ApiKeys;

/// <summary>Writes each rejected request once, as a structured warning. Never the token.</summary>
public sealed partial class RejectionLog(ILogger<RejectionLog> logger)
{
    public void Write(HttpContext context, ApiKeyRejection rejection, int status) =>
        Rejected(logger,
            status,
            rejection.Code,
            rejection.TokenPrefix,
            context.Request.Method,
            TokenRedactor.Redact(context.Request.Path.Value),
            Common.ClientAddress.Of(context),
            Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier);

    [LoggerMessage(EventId = 4010, EventName = "ApiKeyRejected", Level = LogLevel.Warning,
        Message = "Rejected {Method} {Path} from {ClientIp} with {Status}: {Reason} API key (token prefix {TokenPrefix}, trace {TraceId})")]
    private static partial void Rejected(ILogger logger, int status, string reason, string? tokenPrefix, string method, string? path, string? clientIp, string traceId);
}
