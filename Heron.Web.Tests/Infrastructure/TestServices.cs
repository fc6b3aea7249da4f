namespace Heron.Web.Tests.Infrastructure;

/// <summary>
/// The throwaway PostgreSQL and Redis that <c>./test.sh</c> starts (<c>scripts/test-services.sh</c>).
/// A test that needs one fails, never skips, when it is missing: a green run must have run on real engines.
/// </summary>
public static class TestServices
{
    public const string PostgresVariable = "HERON_TEST_POSTGRES";
    public const string RedisVariable = "HERON_TEST_REDIS";

    /// <summary>A superuser's connection string to the throwaway server (its database is replaced per test).</summary>
    public static string Postgres => Required(PostgresVariable, "a PostgreSQL superuser's connection string");

    /// <summary>A StackExchange.Redis connection string, e.g. <c>127.0.0.1:6390</c>.</summary>
    public static string Redis => Required(RedisVariable, "a Redis address");

    private static string Required(string variable, string what) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set: run ./test.sh, or set {variable} to {what} " +
                $"(scripts/test-services.sh dotnet test … starts a throwaway one and sets it).");
}
