using System.Collections.Concurrent;

namespace Heron.Web.RateLimiting;

/// <summary>
/// Customers' fixed windows counted across instances through Redis without a round trip per request.
/// Each instance counts locally and <see cref="ReconcileAsync"/> (every 50 ms) adds its delta to the
/// window's key and reads back the total of every instance. A request is decided locally while the
/// window is far from its limit: each of the N instances counting the window may accept, beyond the
/// total it last read, at most (limit − total) / 2(N + 1) requests, so together they stay under the limit.
/// Past that allowance a request pays one Redis round trip (an exact, atomic count), as does an
/// instance's first request of a window. A window known to be spent is refused locally. Overshoot comes
/// only from several instances joining a window within one reconciliation (N read one interval late).
/// </summary>
public sealed class SharedWindowCounter(RedisWindowStore store, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new();

    public async ValueTask<RateLimitDecision> CountAsync(string partition, int limit, TimeSpan length)
    {
        var (start, lengthMs) = WindowAt(length);
        var reset = (start + lengthMs + 999) / 1000;
        var window = _windows.GetOrAdd(partition, static _ => new Window());
        long delta;
        lock (window.Gate)
        {
            window.MoveTo(start, lengthMs);
            window.Local++;
            var estimate = window.Global + window.InFlight + window.Unsynced + 1;
            var exhausted = window.Known && window.Global >= limit;
            // N + 1: another instance may join the window before this one reads N again.
            var allowance = window.Known ? (limit - window.Global) / (2 * (window.Instances + 1)) : 0;
            if (!store.Available || exhausted || window.Unsynced + window.InFlight + 1 <= allowance)
            {
                window.Unsynced++;
                var used = store.Available ? estimate : window.Local;
                return new(used <= limit, limit, (int)Math.Max(0, limit - used), reset, length);
            }
            delta = window.Unsynced + 1;
            window.Unsynced = 0;
            window.InFlight += delta;
        }

        var total = await store.AddAsync(Key(partition, start), delta, length + length);
        lock (window.Gate)
        {
            window.Landed(start, delta, total);
            if (total is null)
            {
                // Redis went away: decide on this instance's own count.
                return new(window.Local <= limit, limit, Math.Max(0, limit - window.Local), reset, length);
            }
        }
        var counted = total.Value.Total;
        return new(counted <= limit, limit, (int)Math.Max(0, limit - counted), reset, length);
    }

    /// <summary>Adds every current window's delta to its total and reads back what all instances used.</summary>
    public async Task ReconcileAsync()
    {
        if (!store.Available)
        {
            await store.ProbeAsync();
            if (!store.Available)
            {
                return;
            }
        }
        var pushes = new List<Task>();
        foreach (var (partition, window) in _windows)
        {
            long start, delta, lengthMs;
            lock (window.Gate)
            {
                (start, delta, lengthMs) = (window.Start, window.Unsynced, window.LengthMs);
                if (lengthMs == 0 || !IsCurrent(start, lengthMs))
                {
                    continue;
                }
                window.Unsynced = 0;
                window.InFlight += delta;
            }
            pushes.Add(PushAsync(partition, window, start, delta, TimeSpan.FromMilliseconds(lengthMs * 2)));
        }
        await Task.WhenAll(pushes);
    }

    private async Task PushAsync(string partition, Window window, long start, long delta, TimeSpan ttl)
    {
        var total = await store.AddAsync(Key(partition, start), delta, ttl);
        lock (window.Gate)
        {
            window.Landed(start, delta, total);
        }
    }

    /// <summary>Requests counted here and not yet added to Redis (tests wait for a reconciliation with it).</summary>
    internal long Unsynced => _windows.Values.Sum(w => { lock (w.Gate) { return w.Unsynced; } });

    /// <summary>Forgets partitions whose window ended.</summary>
    public void Sweep()
    {
        foreach (var (partition, window) in _windows)
        {
            if (window.LengthMs > 0 && !IsCurrent(window.Start, window.LengthMs) && window.Unsynced == 0)
            {
                _windows.TryRemove(partition, out _);
            }
        }
    }

    private (long Start, long LengthMs) WindowAt(TimeSpan length)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var lengthMs = Math.Max(1, (long)length.TotalMilliseconds);
        return (now - now % lengthMs, lengthMs);
    }

    private bool IsCurrent(long start, long lengthMs)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return now - now % lengthMs == start;
    }

    private static string Key(string partition, long start) => $"heron:ratelimit:{partition}:{start}";

    private sealed class Window
    {
        public readonly Lock Gate = new();
        public long Start;
        public long LengthMs;
        /// <summary>This instance's requests in the window, for deciding alone during an outage.</summary>
        public int Local;
        /// <summary>Counted here and not yet added to Redis.</summary>
        public long Unsynced;
        /// <summary>Being added to Redis now: still counted, or a burst would see the window emptier than it is.</summary>
        public long InFlight;
        /// <summary>How many instances count this window, as Redis last said.</summary>
        public int Instances;
        /// <summary>The window's total of every instance, as Redis last said it.</summary>
        public long Global;
        public bool Known;

        public void MoveTo(long start, long lengthMs)
        {
            if (Start != start || LengthMs != lengthMs)
            {
                (Start, LengthMs, Local, Unsynced, InFlight, Global, Known, Instances) = (start, lengthMs, 0, 0, 0, 0, false, 0);
            }
        }

        /// <summary>An addition came back: the total it read, or null in an outage (the delta waits for the next one).</summary>
        public void Landed(long start, long delta, (long Total, int Instances)? total)
        {
            if (Start != start)
            {
                return;
            }
            InFlight -= delta;
            if (total is null)
            {
                Unsynced += delta;
                return;
            }
            Global = Math.Max(Global, total.Value.Total);
            Instances = Math.Max(Instances, total.Value.Instances);
            Known = true;
        }
    }
}
