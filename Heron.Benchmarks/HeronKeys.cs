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
    private readonly BenchmarkHost _host;

    private HeronKeys(BenchmarkHost host) => _host = host;

    public IServiceProvider Services => _host.Services;
    public ApiKeyDirectory Directory => Services.GetRequiredService<ApiKeyDirectory>();

    public required string Valid { get; init; }
    public required string Deactivated { get; init; }
    /// <summary>Well-formed with a valid checksum, but never issued.</summary>
    public required string Unknown { get; init; }
    /// <summary>The right length and prefix, upper-case hex: refused before any hashing.</summary>
    public string Malformed { get; } = "key_" + new string('A', ApiKeyToken.RandomHexLength + ApiKeyToken.ChecksumHexLength);

    /// <param name="cachedKeys">How many other keys this instance has already verified (and so caches).</param>
    /// <param name="rateLimits">The rate limits a request is counted against (the app's defaults when null).</param>
    public static async Task<HeronKeys> CreateAsync(int cachedKeys, int? rateLimits = null)
    {
        var host = new BenchmarkHost();
        if (rateLimits is { } limit)
        {
            // Every request is still counted; as in bench/run.sh, only the limits are out of the benchmark's reach.
            host.Settings["RateLimiting:PermitLimit"] = limit.ToString();
            host.Settings["RateLimiting:Organizations:bench:PermitLimit"] = limit.ToString();
            host.Settings["RateLimiting:RejectedPermitLimit"] = limit.ToString();
        }
        host.StartServer();
        var services = host.Services;

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

        // The other keys go in with one insert, then are verified once each so the directory holds them.
        var others = Enumerable.Range(0, cachedKeys).Select(_ => ApiKeyToken.Generate()).ToList();
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
        var directory = services.GetRequiredService<ApiKeyDirectory>();
        foreach (var token in others.Append(valid).Append(deactivated))
        {
            if (await directory.FindAsync(ApiKeyToken.Hash(token), default) is null)
            {
                throw new InvalidOperationException("A key just created was not found.");
            }
        }

        var keys = new HeronKeys(host) { Valid = valid, Deactivated = deactivated, Unknown = ApiKeyToken.Generate() };
        // The first lookup of an unknown token queries the database; every later one is answered from memory.
        if (await directory.FindAsync(ApiKeyToken.Hash(keys.Unknown), default) is not null)
        {
            throw new InvalidOperationException("A token nobody issued was found.");
        }
        return keys;
    }

    /// <summary>Runs one request through the whole pipeline, in memory: no socket, no HTTP client.</summary>
    public Task<HttpContext> SendAsync(Action<HttpContext> configure) => _host.Server.SendAsync(configure);

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    /// <summary>The shared host, as deployed, with its background work idle so that it stays out of the measurements.</summary>
    private sealed class BenchmarkHost : HeronAppFactory
    {
        // In memory: the benchmarks measure Heron's code, not loopback sockets.
        public BenchmarkHost()
            : base(onKestrel: false)
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
