using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Heron.Web.Data;

// Used by `dotnet ef migrations add` only: each provider keeps its own migration set.
// No connection is opened to generate a migration or a script.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteHeronDbContext>
{
    public SqliteHeronDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteHeronDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerHeronDbContext>
{
    public SqlServerHeronDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerHeronDbContext>().UseSqlServer("Server=.;Database=Heron;Trusted_Connection=True;TrustServerCertificate=True").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresHeronDbContext>
{
    public PostgresHeronDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresHeronDbContext>();
        options.UsePostgres("Host=localhost;Database=heron;Username=heron");
        return new(options.Options);
    }
}
