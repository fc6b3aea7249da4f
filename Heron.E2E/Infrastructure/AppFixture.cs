using System.Net;
using Heron.Testing;
using Heron.Web.ApiKeys;
using Heron.Web.Audit;
using Heron.Web.Organizations;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Heron.Web.Site;

namespace Heron.E2E.Infrastructure;

/// <summary>
/// The real app, served by Kestrel on a free loopback port so a real browser can reach it, on a fresh
/// SQLite file of its own that is deleted afterwards. Fixtures that need more (an SMTP server, say)
/// derive from this one and add to <see cref="Settings"/> before calling <c>base.InitializeAsync()</c>.
/// </summary>
public class AppFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string _databasePath = Path.Combine(Path.GetTempPath(), $"heron-e2e-{Guid.NewGuid():N}.db");
    private bool _started;

    public AppFixture() => UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));

    /// <summary>Settings applied over the defaults below; set them before the server starts.</summary>
    public Dictionary<string, string?> Settings { get; } = new();

    /// <summary>Where the app listens, e.g. <c>http://127.0.0.1:41234</c>; known once the server has started.</summary>
    public Uri ServerAddress { get; private set; } = null!;

    public virtual Task InitializeAsync()
    {
        StartServer();
        _started = true;
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
        ServerAddress = new Uri(addresses.Addresses.Single());
        return Task.CompletedTask;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Heron", $"Data Source={_databasePath}");
        // Tests make the data they need; no demo organization.
        builder.UseSetting("Heron:Demo:Password", "");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        // The port is chosen by the OS at start-up, so the public address (used in every link the app
        // shows or mails) is taken from the running server rather than from a setting.
        builder.ConfigureServices(services => services.AddOptions<HeronOptions>().PostConfigure<IServer>((options, server) =>
            options.BaseUrl = server.Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("Heron options were read before the server was listening.")));
    }

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    /// <summary>Onboards an organization with a unique name, as the <c>onboard</c> verb does; returns its slug.</summary>
    public Task<string> OnboardAsync() =>
        WithScopeAsync(async services =>
        {
            var onboarding = await services.GetRequiredService<OrganizationService>()
                .OnboardAsync($"E2E {Guid.NewGuid():N}", $"owner-{Guid.NewGuid():N}@example.com", Actor.Cli(), default);
            return onboarding.Organization.Slug;
        });

    /// <summary>Issues a development key, as the <c>issue-key</c> verb does; returns the token.</summary>
    public Task<string> IssueKeyAsync(string slug, string name = "e2e") =>
        WithScopeAsync(async services =>
        {
            var realm = await services.GetRequiredService<OrganizationService>().FindRealmAsync(slug, RealmKind.Development, default);
            var issued = await services.GetRequiredService<ApiKeyService>().CreateAsync(realm.Id, name, Actor.Cli(), default);
            return issued.Token;
        });

    public override async ValueTask DisposeAsync()
    {
        if (_started)
        {
            _started = false;
            await Services.StopAndWaitAsync();
        }
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_databasePath + suffix);
        }
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
