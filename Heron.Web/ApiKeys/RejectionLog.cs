using System.Collections.Concurrent;
using System.Diagnostics;
using Heron.Web.Logging;
using Microsoft.Extensions.Options;

namespace Heron.Web.ApiKeys;

/// <summary>
/// Writes each refused request as a structured warning, never with the token. At normal rates every
/// refusal is its own event (<c>Count</c> 1). Under a flood, refusals of one client for one reason and
/// status beyond <see cref="ApiKeyOptions.RejectionsLoggedPerSecond"/> in a second are folded into one
/// event carrying their count, written when the second ends; its <c>TokenPrefix</c> is theirs when they
/// all shared one (the same key over and over), <c>*</c> when they did not (invented keys). The counts
/// in the log add up exactly to the refusals served, and a client adds at most a few events a second.
/// </summary>
public sealed partial class RejectionLog(
    ILogger<RejectionLog> logger, IOptions<ApiKeyOptions> options, TimeProvider clock, Metrics.HeronMetrics? metrics = null) : IDisposable
{
    private readonly ConcurrentDictionary<FoldKey, Fold> _folds = new();
    private ITimer? _timer;

    /// <param name="clientIp">The client's address, as <see cref="Common.ClientAddress.Of"/> gives it (the caller has it already).</param>
    public void Write(HttpContext context, string? clientIp, ApiKeyRejection rejection, int status)
    {
        var traceId = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
        var path = TokenRedactor.Redact(context.Request.Path.Value);
        if (_timer is null)
        {
            var timer = clock.CreateTimer(_ => FlushEndedSeconds(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
            if (Interlocked.CompareExchange(ref _timer, timer, null) is not null)
            {
                timer.Dispose();
            }
        }

        // Read before any fold is locked: a clock may run due timers on the reading thread (FakeTimeProvider
        // does), and the flush they run would otherwise re-enter the lock this writer holds and drop its fold.
        var second = clock.GetUtcNow().ToUnixTimeSeconds();
        var key = new FoldKey(status, rejection.Reason, clientIp);
        while (!TryCount(_folds.GetOrAdd(key, static _ => new Fold()), second, context, rejection, status, clientIp, path, traceId))
        {
            // The fold was dropped for idleness between the lookup and the lock: count in its successor.
        }
    }

    private bool TryCount(Fold fold, long second, HttpContext context, ApiKeyRejection rejection, int status, string? clientIp, string? path, string traceId)
    {
        lock (fold)
        {
            if (fold.Dropped)
            {
                return false;
            }
            // A fold's second only moves forward: a writer that read the clock before waiting for the lock, or a
            // clock stepped back, counts in the fold's current second rather than reopen one that has ended and
            // log another full allowance of individual events for it.
            if (second > fold.Second)
            {
                Emit(fold);
                fold.Second = second;
                fold.Individually = 0;
            }
            if (fold.Individually < options.Value.RejectionsLoggedPerSecond)
            {
                fold.Individually++;
                Rejected(logger, context.Request.Method, path, clientIp, status, rejection.Code, rejection.TokenPrefix, traceId, 1, fold.Second);
                return true;
            }
            fold.Prefix = fold.Folded == 0 || fold.Prefix == rejection.TokenPrefix ? rejection.TokenPrefix : MixedPrefixes;
            fold.Folded++;
            fold.Last = (context.Request.Method, path, traceId);
            fold.Template = (status, rejection.Code, clientIp);
            return true;
        }
    }

    /// <summary>Writes the folded counts of every second that has ended (and all of them when <paramref name="all"/>).</summary>
    public void FlushEndedSeconds(bool all = false)
    {
        var second = clock.GetUtcNow().ToUnixTimeSeconds();
        foreach (var (key, fold) in _folds)
        {
            lock (fold)
            {
                if (all || fold.Second < second)
                {
                    Emit(fold);
                    if (fold.Second < second - 60)
                    {
                        // A writer may already hold it: marked under the lock, it counts in a new fold instead.
                        fold.Dropped = true;
                        _folds.TryRemove(KeyValuePair.Create(key, fold));
                    }
                }
            }
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        FlushEndedSeconds(all: true);
    }

    private void Emit(Fold fold)
    {
        if (fold.Folded == 0)
        {
            return;
        }
        var (status, reason, clientIp) = fold.Template;
        var (method, path, traceId) = fold.Last;
        Rejected(logger, method, path, clientIp, status, reason, fold.Prefix, traceId, fold.Folded, fold.Second);
        metrics?.RefusalsFolded(fold.Folded);
        fold.Folded = 0;
    }

    [LoggerMessage(EventId = 4010, EventName = "ApiKeyRejected", Level = LogLevel.Warning,
        Message = "Rejected {Method} {Path} from {ClientIp} with {Status}: {Reason} API key (token prefix {TokenPrefix}, trace {TraceId}) x{Count} in second {Second}")]
    private static partial void Rejected(ILogger logger, string method, string? path, string? clientIp, int status, string reason,
        string? tokenPrefix, string traceId, int count, long second);

    /// <summary>The token prefix of a folded event whose refusals came with different keys.</summary>
    public const string MixedPrefixes = "*";

    private readonly record struct FoldKey(int Status, RejectionReason Reason, string? ClientIp);

    private sealed class Fold
    {
        public long Second;
        public bool Dropped;
        public int Individually;
        public int Folded;
        public string? Prefix;
        public (string Method, string? Path, string TraceId) Last;
        public (int Status, string Reason, string? ClientIp) Template;
    }
}
