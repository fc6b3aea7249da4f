using Heron.Web.Accounts;
using Heron.Web.Api;
using Heron.Web.ApiKeys;
using Heron.Web.Audit;
using Heron.Web.Common;
using Heron.Web.Dashboard;
using Heron.Web.Data;
using Heron.Web.Email;
using Heron.Web.Health;
using Heron.Web.Organizations;
using Heron.Web.Production;
using Heron.Web.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Heron.Web.Site;

namespace Heron.Benchmarks;

/// <summary>
/// The app's own service registrations (as in Program.cs, without logging output and without starting
/// the host) on a fresh SQLite file, with one organization, its keys and one token of each kind.
/// </summary>
public sealed class HeronKeys : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _databasePath;

    private HeronKeys(WebApplication app, string databasePath)
    {
        _app = app;
        _databasePath = databasePath;
    }

    public IServiceProvider Services => _app.Services;
    public ApiKeyDirectory Directory => Services.GetRequiredService<ApiKeyDirectory>();

    public required string Valid { get; init; }
    public required string Deactivated { get; init; }
    /// <summary>Well-formed with a valid checksum, but never issued.</summary>
    public required string Unknown { get; init; }
    /// <summary>The right length and prefix, upper-case hex: refused before any hashing.</summary>
    public string Malformed { get; } = "key_" + new string('A', ApiKeyToken.RandomHexLength + ApiKeyToken.ChecksumHexLength);

    /// <param name="cachedKeys">How many other keys this instance has already verified (and so caches).</param>
    public static async Task<HeronKeys> CreateAsync(int cachedKeys)
    {
        var databasePath = Path.Combine(Path.GetTempPath(), $"heron-benchmarks-{Guid.NewGuid():N}.db");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration["ConnectionStrings:Heron"] = $"Data Source={databasePath}";
        builder.Logging.ClearProviders();
        builder.AddSite();
        builder.AddHeronData();
        builder.AddAudit();
        builder.AddAccounts();
        builder.AddEmail();
        builder.AddOrganizations();
        builder.AddProductionAccess();
        builder.AddApiKeys();
        builder.AddHeronRateLimiting();
        builder.AddHeronApi();
        builder.AddDashboard();
        builder.AddHeronHealthChecks();
        var app = builder.Build();
        await app.Services.PrepareDatabaseAsync();

        int realmId;
        await using (var scope = app.Services.CreateAsyncScope())
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
        await using (var scope = app.Services.CreateAsyncScope())
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
        await using (var scope = app.Services.CreateAsyncScope())
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
        var directory = app.Services.GetRequiredService<ApiKeyDirectory>();
        foreach (var token in others.Append(valid).Append(deactivated))
        {
            if (await directory.FindAsync(ApiKeyToken.Hash(token), default) is null)
            {
                throw new InvalidOperationException("A key just created was not found.");
            }
        }

        var keys = new HeronKeys(app, databasePath) { Valid = valid, Deactivated = deactivated, Unknown = ApiKeyToken.Generate() };
        // The first lookup of an unknown token queries the database; every later one is answered from memory.
        if (await directory.FindAsync(ApiKeyToken.Hash(keys.Unknown), default) is not null)
        {
            throw new InvalidOperationException("A token nobody issued was found.");
        }
        return keys;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_databasePath + suffix);
        }
    }
}
