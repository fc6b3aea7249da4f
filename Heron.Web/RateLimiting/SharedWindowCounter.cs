using System.Collections.Concurrent;

namespace Heron.Web.RateLimiting;

/// <summary>
/// Customers' fixed windows counted across instances through Redis without a round trip per request, and
/// never past the limit. An instance serves a window's requests from a lease: permits Redis hands out from
/// what is still free (<see cref="RedisWindowStore"/>), a share that shrinks as the window fills and the
/// more instances count it, and never more in all than the limit. A request is decided locally while its
/// instance holds a permit; with none left, the request asks Redis for a new lease (one round trip), and is
/// refused if none is free. A window known to be spent is refused locally until a reconciliation sees
/// permits given back. <see cref="ReconcileAsync"/> (every 50 ms) adds the requests served here to the
/// window's count, which <c>x-ratelimit-remaining</c> reports, and gives back the lease of a window that
/// had no request since the last one, so an instance that went quiet does not keep permits the others need.
/// The cost of never overshooting is a small undershoot: permits leased to an instance still serving the
/// window, and not yet used, are not available elsewhere.
/// </summary>
public sealed class SharedWindowCounter(RedisWindowStore store, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new();

    public async ValueTask<RateLimitDecision> CountAsync(string partition, int limit, TimeSpan length)
    {
        var (start, lengthMs) = WindowAt(length);
        var reset = (start + lengthMs + 999) / 1000;
        var window = _windows.GetOrAdd(partition, static _ => new Window());
        long served, claim;
        lock (window.Gate)
        {
            window.MoveTo(start, lengthMs, limit);
            window.Local++;
            window.Touched = true;
            if (!store.Available)
            {
                return window.ServeAlone(reset, length);
            }
            if (window.Lease > 0)
            {
                window.Lease--;
                window.Unsynced++;
                return new(true, limit, (int)Math.Clamp(limit - window.Estimate, 0, limit), reset, length);
            }
            if (window.Exhausted)
            {
                return new(false, limit, 0, reset, length);
            }
            (served, claim) = window.TakePending();
        }

        var state = await store.LeaseAsync(Key(partition, start), served, claim, want: true, limit, length + length);
        lock (window.Gate)
        {
            if (state is not { } s)
            {
                // Redis went away: decide on this instance's own count.
                window.Failed(start, served, claim);
                return window.Start == start ? window.ServeAlone(reset, length) : new(window.Local <= limit, limit, 0, reset, length);
            }
            window.Landed(start, served, s);
            if (s.Granted == 0)
            {
                if (window.Start == start)
                {
                    window.Exhausted = true;
                }
                return new(false, limit, 0, reset, length);
            }
            if (window.Start == start)
            {
                window.Lease += s.Granted - 1;
            }
            return new(true, limit, (int)Math.Clamp(limit - s.Used, 0, limit), reset, length);
        }
    }

    /// <summary>
    /// Adds every current window's served requests to its count, gives back the leases of windows with no
    /// request since the last reconciliation, and lets a spent window ask again once permits are free.
    /// </summary>
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
            long start, lengthMs, served, claim, release;
            int limit;
            lock (window.Gate)
            {
                (start, lengthMs, limit) = (window.Start, window.LengthMs, window.Limit);
                if (lengthMs == 0 || !IsCurrent(start, lengthMs))
                {
                    continue;
                }
                // Quiet since the last reconciliation: give the lease back, and let the next request ask
                // Redis rather than be refused on what it said then.
                release = window.Touched ? 0 : window.Lease;
                var polling = window.Touched && window.Exhausted;
                if (!window.Touched)
                {
                    window.Exhausted = false;
                }
                window.Touched = false;
                if (window.Unsynced == 0 && window.Unclaimed == 0 && release == 0 && !polling)
                {
                    continue;
                }
                window.Lease -= release;
                (served, claim) = window.TakePending();
            }
            pushes.Add(PushAsync(partition, window, start, served, claim, release, limit, TimeSpan.FromMilliseconds(lengthMs * 2)));
        }
        await Task.WhenAll(pushes);
    }

    private async Task PushAsync(string partition, Window window, long start, long served, long claim, long release, int limit, TimeSpan ttl)
    {
        var state = await store.LeaseAsync(Key(partition, start), served, claim - release, want: false, limit, ttl);
        lock (window.Gate)
        {
            if (state is not { } s)
            {
                // Whether a release reached Redis is unknown: the permits stay given back (an undershoot,
                // never an overshoot).
                window.Failed(start, served, claim);
                return;
            }
            window.Landed(start, served, s);
            if (window.Start == start && window.Exhausted && s.Claimed < window.Limit)
            {
                window.Exhausted = false;
            }
        }
    }

    /// <summary>Requests served here and not yet added to Redis, or being added now (tests wait for a reconciliation with it).</summary>
    internal long Unreconciled => _windows.Values.Sum(w => { lock (w.Gate) { return w.Unsynced + w.InFlight; } });

    /// <summary>Permits leased here and not yet used (tests wait for quiet instances to give theirs back).</summary>
    internal long Leased => _windows.Values.Sum(w => { lock (w.Gate) { return w.Lease; } });

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
        public int Limit;
        /// <summary>This instance's requests in the window, for deciding alone during an outage.</summary>
        public int Local;
        /// <summary>Served here and not yet added to the window's count in Redis.</summary>
        public long Unsynced;
        /// <summary>Served here during an outage, without a lease: claimed from the window once Redis is back.</summary>
        public long Unclaimed;
        /// <summary>Being added to Redis now: still counted, or a burst would see the window emptier than it is.</summary>
        public long InFlight;
        /// <summary>Permits leased to this instance and not yet used.</summary>
        public long Lease;
        /// <summary>Requests every instance served in the window, as Redis last said.</summary>
        public long Used;
        /// <summary>Redis had no permit left to lease: refuse here until a reconciliation sees some given back.</summary>
        public bool Exhausted;
        /// <summary>A request came since the last reconciliation.</summary>
        public bool Touched;

        /// <summary>What every instance has served, as far as this one knows.</summary>
        public long Estimate => Used + InFlight + Unsynced;

        public void MoveTo(long start, long lengthMs, int limit)
        {
            if (Start != start || LengthMs != lengthMs)
            {
                (Start, LengthMs, Local, Unsynced, Unclaimed, InFlight, Lease, Used, Exhausted) = (start, lengthMs, 0, 0, 0, 0, 0, 0, false);
            }
            Limit = limit;
        }

        /// <summary>Decides on this instance's count alone (Redis is away); what it serves is claimed later.</summary>
        public RateLimitDecision ServeAlone(long reset, TimeSpan length)
        {
            var allowed = Local <= Limit;
            if (allowed)
            {
                Unsynced++;
                Unclaimed++;
            }
            return new(allowed, Limit, Math.Max(0, Limit - Local), reset, length);
        }

        /// <summary>Hands what waits to be sent to Redis to one call, counted in flight until it lands.</summary>
        public (long Served, long Claim) TakePending()
        {
            var pending = (Unsynced, Unclaimed);
            InFlight += Unsynced;
            (Unsynced, Unclaimed) = (0, 0);
            return pending;
        }

        public void Landed(long start, long served, WindowState state)
        {
            if (Start != start)
            {
                return;
            }
            InFlight -= served;
            Used = Math.Max(Used, state.Used);
        }

        /// <summary>A call did not reach Redis: what it carried waits for the next one.</summary>
        public void Failed(long start, long served, long claim)
        {
            if (Start != start)
            {
                return;
            }
            InFlight -= served;
            Unsynced += served;
            Unclaimed += claim;
        }
    }
}
