using System.Text.RegularExpressions;
using Heron.Web.Data;
using Heron.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.Data;

/// <summary>
/// Each provider keeps its own migration set. These fail when the model changes without a migration for
/// that provider, and produce the SQL Server script (<c>artifacts/sqlserver-migrations.sql</c>) for review.
/// No SQL Server is needed: nothing here connects to one.
/// </summary>
public sealed class ProviderMigrationTests
{
    // Unroutable on purpose: a test that tried to connect would fail fast instead of passing by accident.
    private const string UnreachableSqlServer = "Server=sqlserver.invalid;Database=Heron;User Id=heron;Password=unused;Connect Timeout=1;TrustServerCertificate=True";

    [Fact]
    public void Sqlite_migrations_capture_every_model_change()
    {
        using var file = new TempSqliteFile();
        using var db = file.OpenContext();

        Assert.False(db.Database.HasPendingModelChanges(),
            "The model has changes the SQLite migrations lack: add a migration with the SQLite design-time factory.");
    }

    [Theory]
    [InlineData("SqlServer", "Server=sqlserver.invalid;Database=Heron;User Id=heron;Password=unused")]
    [InlineData("Postgres", "Host=postgres.invalid;Database=heron;Username=heron")]
    public void The_configured_context_lets_services_open_their_own_transactions(string provider, string connectionString)
    {
        // A retrying execution strategy throws on every BeginTransaction a service makes; none may be configured.
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration["Database:Provider"] = provider;
        builder.Configuration["ConnectionStrings:Heron"] = connectionString;
        builder.Configuration["DataProtection:AllowUnencrypted"] = "true";
        builder.AddHeronData();
        using var services = builder.Services.BuildServiceProvider();
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HeronDbContext>();

        Assert.Equal(provider, db.GetType().Name.Replace("HeronDbContext", ""));
        Assert.False(db.Database.CreateExecutionStrategy().RetriesOnFailure);
    }

    [Fact]
    public void SqlServer_migrations_capture_every_model_change()
    {
        using var db = SqlServerContext();

        Assert.False(db.Database.HasPendingModelChanges(),
            "The model has changes the SQL Server migrations lack: add a migration with the SQL Server design-time factory.");
    }

    [Fact]
    public void Postgres_migrations_capture_every_model_change()
    {
        using var db = new PostgresDesignTimeFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges(),
            "The model has changes the PostgreSQL migrations lack: add a migration with the PostgreSQL design-time factory.");
    }

    [Fact]
    public async Task Migrating_a_fresh_postgres_database_applies_every_migration_with_utc_timestamps_and_the_partial_index()
    {
        using var database = TempPostgresDatabase.CreateEmpty();
        await using var db = database.OpenContext();
        var all = db.Database.GetMigrations().ToList();
        Assert.NotEmpty(all);

        await db.Database.MigrateAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(all, await db.Database.GetAppliedMigrationsAsync());
        var indexes = await db.Database
            .SqlQueryRaw<string>("""SELECT indexdef AS "Value" FROM pg_indexes WHERE indexname IN ('IX_ApiKeys_TokenHash', 'IX_ProductionAccessRequests_OrganizationId_Pending') ORDER BY indexname""")
            .ToListAsync();
        Assert.Equal(2, indexes.Count);
        Assert.StartsWith("CREATE UNIQUE INDEX \"IX_ApiKeys_TokenHash\"", indexes[0]);
        Assert.EndsWith("WHERE ((\"Status\")::text = 'Pending'::text)", indexes[1]);
        var createdAt = await db.Database
            .SqlQueryRaw<string>("""SELECT data_type AS "Value" FROM information_schema.columns WHERE table_name = 'ApiKeys' AND column_name = 'CreatedAt'""")
            .SingleAsync();
        Assert.Equal("timestamp with time zone", createdAt);
    }

    [Fact]
    public async Task Migrating_a_fresh_sqlite_file_applies_every_migration()
    {
        using var file = new TempSqliteFile();
        await using var db = file.OpenContext();
        var all = db.Database.GetMigrations().ToList();
        Assert.NotEmpty(all);

        await db.Database.MigrateAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(all, await db.Database.GetAppliedMigrationsAsync());
        var tokenHashIndex = await db.Database
            .SqlQueryRaw<string>("""SELECT sql AS "Value" FROM sqlite_master WHERE type = 'index' AND name = 'IX_ApiKeys_TokenHash'""")
            .SingleAsync();
        Assert.StartsWith("CREATE UNIQUE INDEX", tokenHashIndex);
    }

    [Fact]
    public void SqlServer_script_creates_the_credential_tables_with_a_unique_binary_token_hash()
    {
        using var db = SqlServerContext();

        var script = db.GetService<IMigrator>().GenerateScript();
        WriteArtifact("sqlserver-migrations.sql", script);

        var apiKeys = Table(script, "ApiKeys");
        Assert.Matches(@"\[TokenHash\] binary\(32\) NOT NULL", apiKeys);
        Assert.Matches(@"\[TokenPrefix\] nchar\(8\) NOT NULL", apiKeys);
        Assert.Matches(@"\[Name\] nvarchar\(256\) NOT NULL", apiKeys);
        Assert.Matches(@"CREATE UNIQUE INDEX \[IX_ApiKeys_TokenHash\] ON \[ApiKeys\] \(\[TokenHash\]\);", script);
        Assert.Matches(@"CREATE UNIQUE INDEX \[IX_ApiKeys_HeronId\] ON \[ApiKeys\] \(\[HeronId\]\);", script);

        var events = Table(script, "ApiKeyEvents");
        Assert.Matches(@"\[Kind\] nvarchar\(16\) NOT NULL", events);
        Assert.Matches(@"FOREIGN KEY \(\[ApiKeyId\]\) REFERENCES \[ApiKeys\] \(\[Id\]\)", events);

        Assert.Matches(@"\[Slug\] nvarchar\(64\) NOT NULL", Table(script, "Organizations"));
        Assert.Matches(@"CREATE UNIQUE INDEX \[IX_Organizations_Slug\] ON \[Organizations\] \(\[Slug\]\);", script);
        Assert.Matches(@"FOREIGN KEY \(\[OrganizationId\]\) REFERENCES \[Organizations\] \(\[Id\]\)", Table(script, "Realms"));
        Assert.Matches(@"CREATE UNIQUE INDEX \[IX_Realms_OrganizationId_Kind\] ON \[Realms\] \(\[OrganizationId\], \[Kind\]\);", script);

        var users = Table(script, "AspNetUsers");
        Assert.Matches(@"\[RealmId\] int NOT NULL", users);
        Assert.Matches(@"FOREIGN KEY \(\[RealmId\]\) REFERENCES \[Realms\] \(\[Id\]\)", users);
        Assert.Contains("INSERT INTO [__EFMigrationsHistory]", script);
    }

    private static SqlServerHeronDbContext SqlServerContext() =>
        new(new DbContextOptionsBuilder<SqlServerHeronDbContext>().UseSqlServer(UnreachableSqlServer).Options);

    /// <summary>The <c>CREATE TABLE</c> statement of <paramref name="name"/>, up to its closing <c>);</c>.</summary>
    private static string Table(string script, string name)
    {
        var match = Regex.Match(script, $@"CREATE TABLE \[{name}\] \((?<body>.*?)\n\);", RegexOptions.Singleline);
        Assert.True(match.Success, $"The script does not create the table {name}.");
        return match.Groups["body"].Value;
    }

    private static void WriteArtifact(string fileName, string content)
    {
        var artifacts = Directory.CreateDirectory(Repository.PathOf("artifacts"));
        File.WriteAllText(Path.Combine(artifacts.FullName, fileName), content);
    }
}
