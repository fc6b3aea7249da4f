using System.Collections.Concurrent;

namespace Heron.Web.RateLimiting;

/// <summary>The outcome of counting one request: whether it may proceed and what the headers say.</summary>
public readonly record struct RateLimitDecision(bool Allowed, int Limit, int Remaining, long ResetUnixSeconds, TimeSpan Window);

/// <summary>
/// Fixed windows aligned to the clock (a one-minute window refills on the minute), counted per partition
/// in memory with one interlocked increment. Each instance counts its own requests.
/// </summary>
public sealed class FixedWindowCounter(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new();

    public RateLimitDecision Count(string partition, int limit, TimeSpan length)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var lengthMs = Math.Max(1, (long)length.TotalMilliseconds);
        var start = now - now % lengthMs;
        var window = _windows.GetOrAdd(partition, static _ => new Window());
        var used = window.Increment(start);
        var reset = (start + lengthMs + 999) / 1000;
        return new RateLimitDecision(used <= limit, limit, Math.Max(0, limit - used), reset, length);
    }

    /// <summary>Forgets partitions whose window ended, so counters for passing clients do not pile up.</summary>
    public void Sweep(TimeSpan longestWindow)
    {
        var cutoff = clock.GetUtcNow().ToUnixTimeMilliseconds() - (long)longestWindow.TotalMilliseconds;
        foreach (var (partition, window) in _windows)
        {
            if (window.Start < cutoff)
            {
                _windows.TryRemove(partition, out _);
            }
        }
    }

    private sealed class Window
    {
        private long _start;
        private int _count;
        private readonly Lock _gate = new();

        public long Start => Volatile.Read(ref _start);
        public int Count => Volatile.Read(ref _count);

        public int Increment(long start)
        {
            if (Volatile.Read(ref _start) == start)
            {
                return Interlocked.Increment(ref _count);
            }
            lock (_gate)
            {
                if (_start != start)
                {
                    _count = 0;
                    Volatile.Write(ref _start, start);
                }
                return Interlocked.Increment(ref _count);
            }
        }
    }
}
