using System.Net.Http.Headers;
using Heron.Testing;
using Heron.Web.ApiKeys;
using Heron.Web.Audit;
using Heron.Web.Organizations;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace Heron.Web.Tests.Infrastructure;

/// <summary>
/// The real app with its real pipeline, on a fresh SQLite file of its own. Only settings are swapped,
/// plus a sink that captures every Serilog event. One per test class (<c>IClassFixture</c>); tests in a
/// class stay apart by onboarding organizations of their own.
/// </summary>
public class HeronFactory : WebApplicationFactory<Program>
{
    public HeronFactory()
        : this(Path.Combine(Path.GetTempPath(), $"heron-tests-{Guid.NewGuid():N}.db"), ownsDatabase: true)
    {
    }

    private HeronFactory(string databasePath, bool ownsDatabase)
    {
        DatabasePath = databasePath;
        OwnsDatabase = ownsDatabase;
        // Real Kestrel on a loopback port: requests carry a client address, and limits are the server's own.
        UseKestrel(0);
    }

    /// <summary>A second instance on the same database, as two instances behind a load balancer would be.</summary>
    public HeronFactory SecondInstance() => new(DatabasePath, ownsDatabase: false);

    private bool _built;
    private bool _startFailed;

    /// <summary>Starts the app; a failure to start is remembered so disposal does not try again.</summary>
    public new void StartServer()
    {
        try
        {
            base.StartServer();
        }
        catch
        {
            _startFailed = true;
            throw;
        }
    }

    public string DatabasePath { get; }
    private bool OwnsDatabase { get; }
    public CapturedLog Log { get; } = new();

    /// <summary>Extra settings, applied on top of the defaults below; set before the first use.</summary>
    public Dictionary<string, string?> Settings { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        _built = true;
        builder.UseSetting("ConnectionStrings:Heron", $"Data Source={DatabasePath}");
        builder.UseSetting("ApiKeys:LastUsedFlushInterval", "00:00:00.200");
        builder.UseSetting("ApiKeys:ChangePollInterval", "00:00:00.050");
        // Tests send many identical rejections in a second and check each one's event; folding has its own tests.
        builder.UseSetting("ApiKeys:RejectionsLoggedPerSecond", "100000");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Information");
        // Tests make the data they need; no demo organization.
        builder.UseSetting("Heron:Demo:Password", "");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services => services.AddSingleton<ILogEventSink>(Log));
    }

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    /// <summary>Onboards an organization with a unique name; returns its slug.</summary>
    public Task<string> OnboardAsync(string? name = null) =>
        WithScopeAsync(async services =>
        {
            var organizations = services.GetRequiredService<OrganizationService>();
            var onboarding = await organizations.OnboardAsync(name ?? $"Org {Guid.NewGuid():N}", $"owner-{Guid.NewGuid():N}@example.com", Actor.Cli(), default);
            return onboarding.Organization.Slug;
        });

    public Task GrantProductionAsync(string slug) =>
        WithScopeAsync(services => services.GetRequiredService<OrganizationService>().GrantProductionAsync(slug, default));

    /// <summary>Issues a key the way the CLI does; returns the token.</summary>
    public Task<string> IssueKeyAsync(string slug, RealmKind kind = RealmKind.Development, string name = "test key") =>
        WithScopeAsync(async services =>
        {
            var realm = await services.GetRequiredService<OrganizationService>().FindRealmAsync(slug, kind, default);
            var issued = await services.GetRequiredService<ApiKeyService>().CreateAsync(realm.Id, name, Actor.Cli(), default);
            return issued.Token;
        });

    /// <summary>A client that sends <paramref name="token"/> as its x-api-key.</summary>
    public HttpClient ClientWithKey(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyVerifier.HeaderName, token);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_built)
        {
            _built = false;
            try
            {
                await Services.StopAndWaitAsync();
            }
            catch (Exception) when (_startFailed)
            {
                // It never started, so there is nothing to stop.
            }
        }
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && OwnsDatabase)
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(DatabasePath + suffix);
            }
        }
    }
}
