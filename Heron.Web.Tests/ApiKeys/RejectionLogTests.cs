using System.Net;
using Heron.Web.ApiKeys;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Heron.Web.Tests.ApiKeys;

/// <summary>
/// <see cref="RejectionLog"/> on a clock the test moves by hand (its flush timer fires only when the test
/// moves the clock forward), events captured as written.
/// </summary>
public sealed class RejectionLogTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [Fact]
    public void A_second_that_has_ended_is_never_reopened_by_a_clock_that_reads_earlier()
    {
        var clock = new FakeTimeProvider(Start.AddSeconds(1));
        var logger = new FakeLogger<RejectionLog>();
        using var log = new RejectionLog(logger, Options.Create(new ApiKeyOptions { RejectionsLoggedPerSecond = 10 }), clock);
        var refusal = new ApiKeyRejection(RejectionReason.Unknown, "key_abcd");

        Refuse(log, refusal, 15);                  // second N+1: 10 one by one, 5 folded
        clock.AdjustTime(Start);                   // a clock stepped back into second N
        Refuse(log, refusal, 5);
        clock.AdjustTime(Start.AddSeconds(1));     // and forward again, still N+1
        Refuse(log, refusal, 15);
        clock.SetUtcNow(Start.AddSeconds(2));
        log.FlushEndedSeconds();

        var events = Events(logger);
        Assert.Equal(35, events.Sum(e => e.Count));
        Assert.All(events, e => Assert.Equal(Start.AddSeconds(1).ToUnixTimeSeconds(), e.Second));
        Assert.Equal(10, events.Count(e => e.Count == 1));
        Assert.Equal(11, events.Count);
    }

    [Fact]
    public void Each_new_second_gets_its_own_allowance_and_the_previous_fold_is_written_when_it_ends()
    {
        var clock = new FakeTimeProvider(Start);
        var logger = new FakeLogger<RejectionLog>();
        using var log = new RejectionLog(logger, Options.Create(new ApiKeyOptions { RejectionsLoggedPerSecond = 2 }), clock);
        var refusal = new ApiKeyRejection(RejectionReason.Unknown, "key_abcd");

        Refuse(log, refusal, 5);
        clock.Advance(TimeSpan.FromSeconds(1));    // the flush timer writes second N's fold
        Refuse(log, refusal, 3);
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(
            [(Start.ToUnixTimeSeconds(), 1), (Start.ToUnixTimeSeconds(), 1), (Start.ToUnixTimeSeconds(), 3),
             (Start.AddSeconds(1).ToUnixTimeSeconds(), 1), (Start.AddSeconds(1).ToUnixTimeSeconds(), 1), (Start.AddSeconds(1).ToUnixTimeSeconds(), 1)],
            Events(logger));
    }

    [Fact]
    public async Task Counts_add_up_while_flushes_drop_idle_folds_under_concurrent_writers()
    {
        var clock = new FakeTimeProvider(Start);
        var logger = new FakeLogger<RejectionLog>();
        using var log = new RejectionLog(logger, Options.Create(new ApiKeyOptions { RejectionsLoggedPerSecond = 0 }), clock);
        var refusal = new ApiKeyRejection(RejectionReason.Unknown, "key_abcd");
        const int writers = 4, each = 20_000;
        using var done = new CancellationTokenSource();

        // Every refusal is folded (no individual events), and every flush finds the fold a minute idle and
        // drops it while writers keep counting. The invariant under that churn; the narrow interleaving where a
        // writer locks a fold just dropped is not forced here (RejectionLog marks dropped folds for it).
        var flusher = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                clock.Advance(TimeSpan.FromSeconds(61));
                log.FlushEndedSeconds();
            }
        });
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(() => Refuse(log, refusal, each))));
        await done.CancelAsync();
        await flusher;
        log.FlushEndedSeconds(all: true);

        Assert.Equal(writers * each, Events(logger).Sum(e => e.Count));
    }

    [Fact]
    public void A_flush_the_clock_runs_on_a_writer_thread_loses_no_count()
    {
        // Every read moves this clock past the minute after which a fold counts as idle, and a clock may run
        // the flush timer on the thread that reads it (FakeTimeProvider does, as a busy timer queue might): the
        // flush then drops the fold a writer is about to count in.
        var clock = new FakeTimeProvider(Start) { AutoAdvanceAmount = TimeSpan.FromSeconds(61) };
        var logger = new FakeLogger<RejectionLog>();
        using var log = new RejectionLog(logger, Options.Create(new ApiKeyOptions { RejectionsLoggedPerSecond = 0 }), clock);

        Refuse(log, new ApiKeyRejection(RejectionReason.Unknown, "key_abcd"), 50);
        log.FlushEndedSeconds(all: true);

        Assert.Equal(50, Events(logger).Sum(e => e.Count));
    }

    private static void Refuse(RejectionLog log, ApiKeyRejection refusal, int times)
    {
        for (var i = 0; i < times; i++)
        {
            var context = new DefaultHttpContext();
            context.Request.Method = "GET";
            context.Request.Path = "/api/hello_world/authenticated";
            context.Connection.RemoteIpAddress = IPAddress.Loopback;
            log.Write(context, Heron.Web.Common.ClientAddress.Of(context), refusal, StatusCodes.Status401Unauthorized);
        }
    }

    /// <summary>Each event's second and count, in the order written.</summary>
    private static List<(long Second, int Count)> Events(FakeLogger<RejectionLog> logger) =>
        logger.Collector.GetSnapshot()
            .Select(e => (long.Parse(e.GetStructuredStateValue("Second")!), int.Parse(e.GetStructuredStateValue("Count")!)))
            .ToList();
}
