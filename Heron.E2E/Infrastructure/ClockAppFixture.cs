using Heron.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.E2E.Infrastructure;

/// <summary>
/// The app's clock (its <see cref="TimeProvider"/>): real time, in whole microseconds as the app's own
/// (<see cref="MicrosecondClock"/>), plus an offset a test moves forward, so what happens after a grace period
/// or an expiry is seen without waiting for it. Timers stay real.
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

    public override DateTimeOffset GetUtcNow() => MicrosecondClock.Instance.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));
}

/// <summary>
/// An app of its own, delivering mail like <see cref="MailAppFixture"/>, whose clock a test moves forward
/// (<see cref="Clock"/>), and which writes buffered key usage quickly. Its own instance, so that moving its
/// clock (which ages every session and lockout too) touches no other journey.
/// </summary>
public sealed class ClockAppFixture : MailAppFixture
{
    public ClockAppFixture()
    {
        // Usage charts are read from flushed buckets: flush on a test's time scale.
        Settings["ApiKeys:UsageFlushInterval"] = "00:00:00.200";
    }

    public ShiftableClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}
