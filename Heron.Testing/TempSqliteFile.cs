using Heron.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Heron.Testing;

/// <summary>A SQLite file path of its own in the temp folder, deleted (with its WAL files) when disposed.</summary>
public sealed class TempSqliteFile : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"heron-tests-{Guid.NewGuid():N}.db");

    public string ConnectionString => $"Data Source={Path}";

    /// <summary>A context on the file, configured as the app configures its SQLite provider.</summary>
    public SqliteHeronDbContext OpenContext() =>
        new(new DbContextOptionsBuilder<SqliteHeronDbContext>().UseSqlite(ConnectionString).Options);

    public void Dispose()
    {
        // Pooled connections keep the file open; WAL mode leaves two more files beside it.
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(Path + suffix);
        }
    }
}
