using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.Data;

public static class DataExtensions
{
    public static IHostApplicationBuilder AddHeronData(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<TimeProvider>(MicrosecondClock.Instance);
        services.AddSingleton(sp => DatabaseOptions.From(
            sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>().ContentRootPath));

        // Both provider contexts are registered; HeronDbContext resolves to the configured one.
        // The choice is made when first resolved, so tests can set the provider like any other setting.
        services.AddDbContext<SqliteHeronDbContext>((sp, options) =>
            options.UseSqlite(sp.GetRequiredService<DatabaseOptions>().ConnectionString));
        // No retrying execution strategy on any provider: Heron's services open their own transactions, which
        // a retrying strategy refuses (every one of them would throw); a failed request is retried by its client.
        services.AddDbContext<SqlServerHeronDbContext>((sp, options) =>
            options.UseSqlServer(sp.GetRequiredService<DatabaseOptions>().ConnectionString));
        services.AddDbContext<PostgresHeronDbContext>((sp, options) =>
            options.UsePostgres(sp.GetRequiredService<DatabaseOptions>().ConnectionString));
        services.AddScoped<HeronDbContext>(sp => sp.GetRequiredService<DatabaseOptions>().Provider switch
        {
            DatabaseProvider.SqlServer => sp.GetRequiredService<SqlServerHeronDbContext>(),
            DatabaseProvider.Postgres => sp.GetRequiredService<PostgresHeronDbContext>(),
            _ => sp.GetRequiredService<SqliteHeronDbContext>(),
        });

        // Instances behind a load balancer share the key ring, so cookies and tokens survive any instance.
        var dataProtection = services.AddDataProtection()
            .SetApplicationName("Heron")
            .PersistKeysToDbContext<HeronDbContext>();
        KeyRingProtection.Configure(dataProtection, builder.Configuration, builder.Environment);
        return builder;
    }

    /// <summary>
    /// The embedded SQLite database migrates itself at start-up so a fresh clone just runs.
    /// SQL Server and PostgreSQL are migrated deliberately, with the <c>migrate</c> verb.
    /// </summary>
    public static async Task PrepareDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<DatabaseOptions>();
        var db = scope.ServiceProvider.GetRequiredService<HeronDbContext>();
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            await db.Database.MigrateAsync(cancellationToken);
            // WAL lets readers carry on while a writer commits; the setting is stored in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            return;
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            throw new InvalidOperationException(
                $"The {options.Provider} database lacks {pending.Count} migration(s), starting with {pending[0]}. Run the 'migrate' verb first.");
        }
    }

    /// <summary>The one place the PostgreSQL provider is configured: the app, the design-time factory and tests.</summary>
    public static DbContextOptionsBuilder UsePostgres(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString);

    public static async Task MigrateAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<HeronDbContext>().Database.MigrateAsync(cancellationToken);
    }
}
