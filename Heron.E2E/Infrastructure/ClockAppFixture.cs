using Heron.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.E2E.Infrastructure;

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
