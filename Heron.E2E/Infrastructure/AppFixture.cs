using Heron.Web.Site;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.E2E.Infrastructure;

/// <summary>
/// The shared test host (<see cref="HeronAppFactory"/>) as an xunit collection fixture, started before the
/// first test so a real browser can reach it. Fixtures that need more (an SMTP server, say) derive from this
/// one and add to <see cref="HeronAppFactory.Settings"/> before calling <c>base.InitializeAsync()</c>.
/// </summary>
public class AppFixture : HeronAppFactory, IAsyncLifetime
{
    public virtual Task InitializeAsync()
    {
        StartServer();
        return Task.CompletedTask;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // The port is chosen by the OS at start-up, so the public address (used in every link the app
        // shows or mails) is taken from the running server rather than from a setting.
        builder.ConfigureServices(services => services.AddOptions<HeronOptions>().PostConfigure<IServer>((options, server) =>
            options.BaseUrl = server.Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("Heron options were read before the server was listening.")));
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
