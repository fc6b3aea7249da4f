using Heron.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.Tests.Cli;

/// <summary>
/// PostgreSQL is migrated deliberately: another verb refuses an unmigrated database, and <c>migrate</c>
/// applies every migration, as an operator runs it (a real process).
/// </summary>
public sealed class PostgresCliTests : IDisposable
{
    private readonly TempPostgresDatabase _database = TempPostgresDatabase.CreateEmpty();
    private readonly HeronCliProcess _cli = new("unused.db");

    public PostgresCliTests()
    {
        _cli.Environment["Database__Provider"] = "Postgres";
        _cli.Environment["ConnectionStrings__Heron"] = _database.ConnectionString;
    }

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Migrate_applies_every_migration_and_other_verbs_refuse_an_unmigrated_database()
    {
        var early = await _cli.RunAsync("onboard", "--organization", "Acme Inc", "--email", "jane@acme.com");
        Assert.NotEqual(0, early.ExitCode);
        Assert.Contains("Run the 'migrate' verb first", early.Stderr);

        var migrate = await _cli.RunAsync("migrate");
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        Assert.Equal(["Database is up to date."], migrate.StdoutLines);

        await using var db = _database.OpenContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        var onboard = await _cli.RunAsync("onboard", "--organization", "Acme Inc", "--email", "jane@acme.com");
        Assert.True(onboard.ExitCode == 0, onboard.ToString());
        Assert.Equal(["acme-inc"], onboard.StdoutLines);
    }
}
