using System.Net;
using Heron.Web.ApiKeys;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Heron.Web.Tests.ApiKeys;

/// <summary><see cref="RejectionLog"/> on a clock the test moves by hand, events captured as written.</summary>
public sealed class RejectionLogTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [Fact]
    public void A_second_that_has_ended_is_never_reopened_by_a_clock_that_reads_earlier()
    {
        var clock = new HandClock { Now = Start.AddSeconds(1) };
        var logger = new CapturingLogger();
        using var log = new RejectionLog(logger, Options.Create(new ApiKeyOptions { RejectionsLoggedPerSecond = 10 }), clock);
        var refusal = new ApiKeyRejection(RejectionReason.Unknown, "key_abcd");

        Refuse(log, refusal, 15);            // second N+1: 10 one by one, 5 folded
        clock.Now = Start;                   // a clock stepped back into second N
        Refuse(log, refusal, 5);
        clock.Now = Start.AddSeconds(1);     // and forward again, still N+1
        Refuse(log, refusal, 15);
        clock.Now = Start.AddSeconds(2);
        log.FlushEndedSeconds();

        Assert.Equal(35, logger.Events.Sum(e => e.Count));
        Assert.All(logger.Events, e => Assert.Equal(Start.AddSeconds(1).ToUnixTimeSeconds(), e.Second));
        Assert.Equal(10, logger.Events.Count(e => e.Count == 1));
        Assert.Equal(11, logger.Events.Count);
    }

    [Fact]
    public void Each_new_second_gets_its_own_allowance_and_the_previous_fold_is_written_when_it_ends()
    {
        var clock = new HandClock { Now = Start };
        var logger = new CapturingLogger();
        using var log = new RejectionLog(logger, Options.Create(new ApiKeyOptions { RejectionsLoggedPerSecond = 2 }), clock);
        var refusal = new ApiKeyRejection(RejectionReason.Unknown, "key_abcd");

        Refuse(log, refusal, 5);
        clock.Now = Start.AddSeconds(1);
        Refuse(log, refusal, 3);
        clock.Now = Start.AddSeconds(2);
        log.FlushEndedSeconds();

        Assert.Equal(
            [(Start.ToUnixTimeSeconds(), 1), (Start.ToUnixTimeSeconds(), 1), (Start.ToUnixTimeSeconds(), 3),
             (Start.AddSeconds(1).ToUnixTimeSeconds(), 1), (Start.AddSeconds(1).ToUnixTimeSeconds(), 1), (Start.AddSeconds(1).ToUnixTimeSeconds(), 1)],
            logger.Events.Select(e => (e.Second, e.Count)));
    }

    [Fact]
    public async Task Counts_add_up_while_flushes_drop_idle_folds_under_concurrent_writers()
    {
        var clock = new HandClock { Now = Start };
        var logger = new CapturingLogger();
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
                clock.Now = clock.Now.AddSeconds(61);
                log.FlushEndedSeconds();
            }
        });
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(() => Refuse(log, refusal, each))));
        await done.CancelAsync();
        await flusher;
        log.FlushEndedSeconds(all: true);

        Assert.Equal(writers * each, logger.Events.Sum(e => e.Count));
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

    private sealed class HandClock : TimeProvider
    {
        private long _utcTicks;

        // Read by writers while the test moves it: one 64-bit value, never torn.
        public DateTimeOffset Now
        {
            get => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);
            set => Interlocked.Exchange(ref _utcTicks, value.UtcTicks);
        }

        public override DateTimeOffset GetUtcNow() => Now;
        // The test flushes by hand; a real timer would flush at moments it does not control.
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new NoTimer();

        private sealed class NoTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;
            public void Dispose() { }
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    private sealed class CapturingLogger : ILogger<RejectionLog>
    {
        private readonly List<(long Second, int Count)> _events = [];

        public List<(long Second, int Count)> Events
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = ((IEnumerable<KeyValuePair<string, object?>>)state!).ToDictionary(p => p.Key, p => p.Value);
            lock (_events)
            {
                _events.Add(((long)values["Second"]!, (int)values["Count"]!));
            }
        }
    }
}
