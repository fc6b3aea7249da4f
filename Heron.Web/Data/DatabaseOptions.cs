using Microsoft.Data.Sqlite;

namespace Heron.Web.Data;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
    Postgres,
}

/// <summary><c>Database:Provider</c> and <c>ConnectionStrings:Heron</c>.</summary>
public sealed record DatabaseOptions(DatabaseProvider Provider, string ConnectionString)
{
    public const string DefaultSqliteConnectionString = "Data Source=App_Data/heron.db";

    public static DatabaseOptions From(IConfiguration configuration, string contentRoot)
    {
        var providerName = configuration["Database:Provider"];
        DatabaseProvider provider;
        if (string.IsNullOrWhiteSpace(providerName))
        {
            provider = DatabaseProvider.Sqlite;
        }
        else if (!Enum.TryParse(providerName, ignoreCase: true, out provider) || !Enum.IsDefined(provider))
        {
            throw new InvalidOperationException(
                $"Database:Provider must be 'Sqlite', 'SqlServer' or 'Postgres', not '{providerName}'.");
        }

        var connectionString = configuration.GetConnectionString("Heron");
        return provider switch
        {
            DatabaseProvider.Sqlite => new(provider, AnchorSqliteFile(connectionString ?? DefaultSqliteConnectionString, contentRoot)),
            _ => new(provider, string.IsNullOrWhiteSpace(connectionString)
                ? throw new InvalidOperationException($"ConnectionStrings:Heron is required when Database:Provider is {provider}.")
                : connectionString),
        };
    }

    /// <summary>
    /// A relative SQLite path is resolved against the content root, not the working directory,
    /// so <c>dotnet run --project Heron.Web</c> uses the same file from wherever it is started.
    /// </summary>
    private static string AnchorSqliteFile(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is not ("" or ":memory:") && builder.Mode != SqliteOpenMode.Memory)
        {
            var path = Path.GetFullPath(builder.DataSource, contentRoot);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            builder.DataSource = path;
        }
        return builder.ToString();
    }
}
