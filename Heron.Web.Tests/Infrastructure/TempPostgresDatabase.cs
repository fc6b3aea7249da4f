using Heron.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Heron.Web.Tests.Infrastructure;

/// <summary>
/// A fresh database of a test's own on the throwaway PostgreSQL server (<see cref="TestServices.Postgres"/>),
/// migrated as the <c>migrate</c> verb does it, and dropped when the test is done.
/// </summary>
public sealed class TempPostgresDatabase : IDisposable
{
    private TempPostgresDatabase(string name)
    {
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(TestServices.Postgres) { Database = name }.ConnectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    /// <summary>An empty database with no tables, for a test of migrating it.</summary>
    public static TempPostgresDatabase CreateEmpty()
    {
        var database = new TempPostgresDatabase($"heron_test_{Guid.NewGuid():N}");
        OnServer($"CREATE DATABASE \"{database.Name}\"");
        return database;
    }

    /// <summary>A database with every migration applied, ready for the app.</summary>
    public static TempPostgresDatabase CreateMigrated()
    {
        var database = CreateEmpty();
        using var db = database.OpenContext();
        db.Database.Migrate();
        return database;
    }

    /// <summary>A context on the database, configured as the app configures its PostgreSQL provider.</summary>
    public PostgresHeronDbContext OpenContext()
    {
        var options = new DbContextOptionsBuilder<PostgresHeronDbContext>();
        options.UsePostgres(ConnectionString);
        return new(options.Options);
    }

    public void Dispose()
    {
        using (var connection = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }
        // FORCE: an app instance's pooled connections would otherwise keep the database alive.
        OnServer($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private static void OnServer(string sql)
    {
        using var connection = new NpgsqlConnection(TestServices.Postgres);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
