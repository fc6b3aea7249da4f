using Heron.Web.Data;

namespace Heron.Testing;

/// <summary>
/// The app's own clock (system time to the microsecond), moved forward by hand: expiry and grace periods are
/// tested to the second without waiting for them. Timers stay real.
/// </summary>
public sealed class ShiftableClock : TimeProvider
{
    private long _offsetTicks;

    /// <summary>Moves the clock forward by <paramref name="by"/> (whole seconds keep it to the microsecond).</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }

    /// <summary>Moves the clock to <paramref name="at"/> (only forward).</summary>
    public void AdvanceTo(DateTimeOffset at)
    {
        var by = at - GetUtcNow();
        if (by > TimeSpan.Zero)
        {
            Advance(by);
        }
    }

    public override DateTimeOffset GetUtcNow() => MicrosecondClock.Instance.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));
}
