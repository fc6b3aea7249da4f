using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Heron.Testing;

/// <summary>
/// The real app, composed by the real <c>Program</c> (so by everything Program.cs wires), served by Kestrel
/// on a free loopback port, on a SQLite file: a fresh one of its own that is deleted afterwards, or one the
/// caller owns. Heron.Web.Tests, Heron.E2E and Heron.Benchmarks derive from it and add only what they
/// really do differently. The preconditions tests start from are in <c>HeronAppFactory.Preconditions.cs</c>.
/// </summary>
public partial class HeronAppFactory : WebApplicationFactory<Program>
{
    private readonly TempSqliteFile? _ownDatabase;
    private IHost? _host;

    /// <summary>On a fresh SQLite file of its own, deleted when the factory is disposed.</summary>
    public HeronAppFactory()
        : this(new TempSqliteFile())
    {
    }

    /// <summary>On a SQLite file the caller owns: it outlives the app (a second instance, a file the CLI wrote).</summary>
    public HeronAppFactory(string databasePath)
        : this(databasePath, ownDatabase: null)
    {
    }

    /// <summary>
    /// On a SQLite file the caller owns, served in memory (<see cref="WebApplicationFactory{TEntryPoint}.Server"/>)
    /// rather than on Kestrel when <paramref name="onKestrel"/> is false: for a benchmark of the request pipeline
    /// without sockets.
    /// </summary>
    protected HeronAppFactory(string databasePath, bool onKestrel)
        : this(databasePath, ownDatabase: null, onKestrel)
    {
    }

    private HeronAppFactory(TempSqliteFile ownDatabase)
        : this(ownDatabase.Path, ownDatabase)
    {
    }

    private HeronAppFactory(string databasePath, TempSqliteFile? ownDatabase, bool onKestrel = true)
    {
        DatabasePath = databasePath;
        _ownDatabase = ownDatabase;
        if (onKestrel)
        {
            // Real Kestrel on 127.0.0.1, on a port the OS picks: a browser or a raw socket can reach it, requests
            // carry a client address, and limits are the server's own.
            UseKestrel(0);
        }
    }

    public string DatabasePath { get; }

    /// <summary>Settings applied over the app's own and the quick test timings; set them before the app starts.</summary>
    public Dictionary<string, string?> Settings { get; } = new();

    /// <summary>Where the app listens, e.g. <c>http://127.0.0.1:41234/</c>; starts it if it has not started.</summary>
    public Uri ServerAddress =>
        new(Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Heron", $"Data Source={DatabasePath}");
        // Background work on a test's time scale: buffered last-used times are written, and other instances'
        // key changes applied, within a fraction of a second.
        builder.UseSetting("ApiKeys:LastUsedFlushInterval", "00:00:00.200");
        builder.UseSetting("ApiKeys:ChangePollInterval", "00:00:00.050");
        // Expiry notices are written when a test runs the notifier, never behind the back of one that counts events.
        builder.UseSetting("ApiKeys:ExpiryCheckInterval", "1.00:00:00");
        // Tests make the data they need; no demo organization.
        builder.UseSetting("Heron:Demo:Password", "");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Remembers the started host, so that disposal stops exactly what started (and nothing when start failed).</summary>
    protected override IHost CreateHost(IHostBuilder builder) => _host = base.CreateHost(builder);

    /// <summary>
    /// The app delivers its mail over SMTP to <paramref name="smtp"/> (started by the caller) and polls its
    /// outbox and retries quickly, so tests wait on real emails rather than on the clock.
    /// </summary>
    protected void SendMailTo(SmtpTestServer smtp)
    {
        Settings["Email:Smtp:Host"] = "127.0.0.1";
        Settings["Email:Smtp:Port"] = smtp.Port.ToString();
        Settings["Email:Smtp:Security"] = "None";
        Settings["Email:PollInterval"] = "00:00:00.200";
        Settings["Email:RetryBaseDelay"] = "00:00:00.100";
    }

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _host, null) is { } host)
        {
            await host.Services.StopAndWaitAsync();
        }
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            // After the host has stopped: nothing writes to the file any more.
            _ownDatabase?.Dispose();
        }
    }
}
