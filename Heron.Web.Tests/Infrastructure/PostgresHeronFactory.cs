using Microsoft.AspNetCore.Hosting;

namespace Heron.Web.Tests.Infrastructure;

/// <summary>
/// A <see cref="HeronFactory"/> on PostgreSQL: a fresh database of its own on the throwaway server,
/// migrated first (PostgreSQL, like SQL Server, is migrated by the <c>migrate</c> verb, not at start-up).
/// </summary>
public class PostgresHeronFactory : HeronFactory
{
    public PostgresHeronFactory()
        : this(TempPostgresDatabase.CreateMigrated(), ownsDatabase: true)
    {
    }

    private PostgresHeronFactory(TempPostgresDatabase database, bool ownsDatabase)
    {
        Database = database;
        _ownsDatabase = ownsDatabase;
    }

    private readonly bool _ownsDatabase;

    public TempPostgresDatabase Database { get; }

    /// <summary>Another instance on the same database, as two instances behind a load balancer would be.</summary>
    public new PostgresHeronFactory SecondInstance() => new(Database, ownsDatabase: false);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        UsePostgres(builder, Database);
    }

    /// <summary>Points an app at <paramref name="database"/>; applied after the base settings, so it wins.</summary>
    public static void UsePostgres(IWebHostBuilder builder, TempPostgresDatabase database)
    {
        builder.UseSetting("Database:Provider", "Postgres");
        builder.UseSetting("ConnectionStrings:Heron", database.ConnectionString);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDatabase)
        {
            Database.Dispose();
        }
    }
}

/// <summary>A <see cref="MailingHeronFactory"/> on a PostgreSQL database of its own.</summary>
public sealed class PostgresMailingHeronFactory : MailingHeronFactory
{
    public TempPostgresDatabase Database { get; } = TempPostgresDatabase.CreateMigrated();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        PostgresHeronFactory.UsePostgres(builder, Database);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Database.Dispose();
        }
    }
}
