using Heron.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.Tests.Infrastructure;

/// <summary>A SQLite file path of a test's own, deleted (with its WAL files) when the test is done.</summary>
public sealed class TempSqliteFile : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"heron-ops-{Guid.NewGuid():N}.db");

    public string ConnectionString => $"Data Source={Path}";

    /// <summary>A context on the file, configured as the app configures its SQLite provider.</summary>
    public SqliteHeronDbContext OpenContext() =>
        new(new DbContextOptionsBuilder<SqliteHeronDbContext>().UseSqlite(ConnectionString).Options);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(Path + suffix);
        }
    }
}
