using Heron.Testing;
using Heron.Web.ApiKeys;
using Heron.Web.Audit;
using Heron.Web.Common;
using Heron.Web.Data;
using Heron.Web.Organizations;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Benchmarks;

/// <summary>
/// The app as Program.cs composes it (through the shared test host, <see cref="HeronAppFactory"/>), as
/// deployed (Production), on a fresh SQLite file, with one organization, its keys and one token of each kind.
/// </summary>
public sealed class HeronKeys : IAsyncDisposable
{
    private readonly TempSqliteFile _database;
    private readonly BenchmarkHost _host;

    private HeronKeys(TempSqliteFile database, BenchmarkHost host)
    {
        _database = database;
        _host = host;
    }

    public IServiceProvider Services => _host.Services;
    public ApiKeyDirectory Directory => Services.GetRequiredService<ApiKeyDirectory>();

    public required string Valid { get; init; }
    public required string Deactivated { get; init; }
    /// <summary>Well-formed with a valid checksum, but never issued.</summary>
    public required string Unknown { get; init; }
    /// <summary>The right length and prefix, upper-case hex: refused before any hashing.</summary>
    public string Malformed { get; } = "key_" + new string('A', ApiKeyToken.RandomHexLength + ApiKeyToken.ChecksumHexLength);

    /// <param name="cachedKeys">How many other live keys the instance holds in memory.</param>
    /// <param name="rateLimits">The rate limits a request is counted against (the app's defaults when null).</param>
    public static async Task<HeronKeys> CreateAsync(int cachedKeys, int? rateLimits = null)
    {
        var database = new TempSqliteFile();
        // One host creates the organization and its keys, then stops; the measured host starts on that database
        // and loads every live key at start-up, as a restarted instance does. (Keys inserted behind a running
        // instance's back, with no change event, are not keys it knows.)
        string valid, deactivated;
        var others = Enumerable.Range(0, cachedKeys).Select(_ => ApiKeyToken.Generate()).ToList();
        await using (var seeding = new BenchmarkHost(database.Path))
        {
            seeding.StartServer();
            (valid, deactivated) = await SeedAsync(seeding.Services, others);
        }

        var host = new BenchmarkHost(database.Path);
        if (rateLimits is { } limit)
        {
            // Every request is still counted; as in bench/run.sh, only the limits are out of the benchmark's reach.
            host.Settings["RateLimiting:PermitLimit"] = limit.ToString();
            host.Settings["RateLimiting:Organizations:bench:PermitLimit"] = limit.ToString();
            host.Settings["RateLimiting:RejectedPermitLimit"] = limit.ToString();
        }
        host.StartServer();
        var directory = host.Services.GetRequiredService<ApiKeyDirectory>();
        await directory.Loaded.WaitAsync(CancellationToken.None);
        var keys = new HeronKeys(database, host) { Valid = valid, Deactivated = deactivated, Unknown = ApiKeyToken.Generate() };
        if (directory.Count < cachedKeys + 2)
        {
            throw new InvalidOperationException($"{directory.Count} keys in memory, expected {cachedKeys + 2}.");
        }
        // Each key used once, so the instance holds its details too (the first use of a key reads them).
        foreach (var token in others.Append(valid).Append(deactivated))
        {
            if (await directory.FindAsync(ApiKeyToken.Hash(token), default) is null)
            {
                throw new InvalidOperationException("A key created before start-up was not found.");
            }
        }
        // Refused from memory: no query for a token nobody issued.
        if (await directory.FindAsync(ApiKeyToken.Hash(keys.Unknown), default) is not null)
        {
            throw new InvalidOperationException("A token nobody issued was found.");
        }
        return keys;
    }

    private static async Task<(string Valid, string Deactivated)> SeedAsync(IServiceProvider services, IReadOnlyList<string> others)
    {
        int realmId;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HeronDbContext>();
            var organization = new Organization
            {
                HeronId = HeronId.New(HeronId.OrganizationPrefix), Name = "Bench", Slug = "bench", CreatedAt = DateTime.UtcNow,
            };
            var realm = new Realm
            {
                HeronId = HeronId.New(HeronId.RealmPrefix), Organization = organization, Kind = RealmKind.Development, CreatedAt = DateTime.UtcNow,
            };
            db.AddRange(organization, realm);
            await db.SaveChangesAsync();
            realmId = realm.Id;
        }

        string valid, deactivated;
        await using (var scope = services.CreateAsyncScope())
        {
            var service = scope.ServiceProvider.GetRequiredService<ApiKeyService>();
            var actor = Actor.Cli();
            valid = (await service.CreateAsync(realmId, "valid", actor, default)).Token;
            var issued = await service.CreateAsync(realmId, "deactivated", actor, default);
            await service.SetActiveAsync(realmId, issued.Key.HeronId, active: false, actor, default);
            deactivated = issued.Token;
        }

        // The other keys go in with one insert.
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HeronDbContext>();
            db.ApiKeys.AddRange(others.Select((token, i) => new ApiKey
            {
                HeronId = HeronId.New(HeronId.ApiKeyPrefix),
                RealmId = realmId,
                Name = $"other {i}",
                TokenPrefix = ApiKeyToken.PrefixOf(token),
                TokenHash = ApiKeyToken.Hash(token),
                IsActive = true,
                CreatedAt = DateTime.UtcNow,
                CreatedBy = "benchmark",
            }));
            await db.SaveChangesAsync();
        }
        return (valid, deactivated);
    }

    /// <summary>Runs one request through the whole pipeline, in memory: no socket, no HTTP client.</summary>
    public Task<HttpContext> SendAsync(Action<HttpContext> configure) => _host.Server.SendAsync(configure);

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _database.Dispose();
    }

    /// <summary>The shared host, as deployed, with its background work idle so that it stays out of the measurements.</summary>
    private sealed class BenchmarkHost : HeronAppFactory
    {
        // In memory: the benchmarks measure Heron's code, not loopback sockets.
        public BenchmarkHost(string databasePath)
            : base(databasePath, onKestrel: false)
        {
            // The measured path is in memory: periodic flushes and polls would only add noise to it.
            Settings["ApiKeys:LastUsedFlushInterval"] = "01:00:00";
            Settings["ApiKeys:ChangePollInterval"] = "01:00:00";
            Settings["Email:PollInterval"] = "01:00:00";
            // Production refuses to start without a mail server; nothing is mailed here.
            Settings["Email:Smtp:Host"] = "127.0.0.1";
            // Production refuses to keep its key ring unencrypted unless told; this database is thrown away.
            Settings["DataProtection:AllowUnencrypted"] = "true";
            Settings["Serilog:MinimumLevel:Default"] = "Warning";
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
        }
    }
}
