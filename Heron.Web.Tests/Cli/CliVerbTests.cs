using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Heron.Web.ApiKeys;
using Heron.Web.Organizations;
using Heron.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.Tests.Cli;

/// <summary>
/// The operations verbs as an operator runs them: <c>dotnet Heron.Web.dll VERB …</c>, a real process on a
/// SQLite file of each test's own. A verb exits 0 with its result alone on stdout, or non-zero with one
/// <c>error:</c> line on stderr; logs go to stderr; the token appears only on the stdout of issue-key.
/// </summary>
public sealed class CliVerbTests : IDisposable
{
    private static readonly Regex TokenAlone = new("^key_[0-9a-f]{48}$");
    private const string EfCoreLogLevel = "Serilog__MinimumLevel__Override__Microsoft.EntityFrameworkCore";

    private readonly TempSqliteFile _database = new();
    private readonly HeronCliProcess _cli;

    public CliVerbTests() => _cli = new HeronCliProcess(_database.Path);

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Onboard_prints_the_slug_alone_and_issue_key_prints_a_token_alone_that_authenticates()
    {
        var onboard = await _cli.RunAsync("onboard", "--organization", "Acme Inc", "--email", "jane@acme.com");
        AssertSucceeded(onboard);
        Assert.Equal(["acme-inc"], onboard.StdoutLines);
        Assert.Equal("acme-inc\n", onboard.Stdout.ReplaceLineEndings("\n"));

        // With EF Core's command log on, stderr carries log events: they must stay off stdout and off the token.
        _cli.Environment[EfCoreLogLevel] = "Information";
        var issue = await _cli.RunAsync("issue-key", "--organization", "acme-inc", "--environment", "development", "--name", "CI");
        AssertSucceeded(issue);
        var token = SingleToken(issue);
        Assert.Contains("INSERT INTO \"ApiKeys\"", issue.Stderr);
        Assert.Empty(_cli.TokenLeaks());

        await using (var db = _database.OpenContext())
        {
            var key = await db.ApiKeys.Include(k => k.Realm).ThenInclude(r => r.Organization).SingleAsync();
            Assert.True(ApiKeyToken.Hash(token).SequenceEqual(key.TokenHash), "The stored hash is not the SHA-256 of the printed token.");
            Assert.Equal(token[..8], key.TokenPrefix);
            Assert.Equal("CI", key.Name);
            Assert.Equal(("acme-inc", RealmKind.Development), (key.Realm.Organization.Slug, key.Realm.Kind));
        }

        await using var app = new HeronFactoryOnFile(_database.Path);
        var hello = await AuthenticatedHelloAsync(app, token);
        Assert.Equal("acme-inc", hello["organization"]);
        Assert.Equal("dev", hello["environment"]);
    }

    [Fact]
    public async Task Onboard_folds_accents_into_the_slug_and_refuses_the_same_name_again_in_other_capitals()
    {
        // Run in the app's own globalization mode (the test process may differ), where the slug is made.
        var first = await _cli.RunAsync("onboard", "--organization", "Café Ünïcode", "--email", "jane@cafe.example");
        AssertSucceeded(first);
        Assert.Equal(["cafe-unicode"], first.StdoutLines);

        var again = await _cli.RunAsync("onboard", "--organization", "CAFÉ ÜNÏCODE", "--email", "joe@cafe.example");
        AssertFailedWithOneLineError(again);
        Assert.Contains("already exists", again.Stderr);

        await using var db = _database.OpenContext();
        Assert.Equal(1, await db.Organizations.CountAsync());
    }

    [Fact]
    public async Task Production_keys_need_grant_production_which_works_once()
    {
        AssertSucceeded(await _cli.RunAsync("onboard", "--organization", "Acme Inc", "--email", "jane@acme.com"));

        var tooEarly = await _cli.RunAsync("issue-key", "--organization", "acme-inc", "--environment", "production", "--name", "Deploy");
        AssertFailedWithOneLineError(tooEarly);
        Assert.Contains("grant", tooEarly.Stderr);

        var grant = await _cli.RunAsync("grant-production", "--organization", "acme-inc");
        AssertSucceeded(grant);
        Assert.Single(grant.StdoutLines);

        var grantAgain = await _cli.RunAsync("grant-production", "--organization", "acme-inc");
        AssertFailedWithOneLineError(grantAgain);
        Assert.Contains("already", grantAgain.Stderr);

        var issue = await _cli.RunAsync("issue-key", "--organization", "acme-inc", "--environment", "production", "--name", "Deploy");
        AssertSucceeded(issue);
        var token = SingleToken(issue);
        Assert.Empty(_cli.TokenLeaks());

        await using (var db = _database.OpenContext())
        {
            Assert.Equal([RealmKind.Development, RealmKind.Production],
                await db.Realms.OrderBy(r => r.Kind).Select(r => r.Kind).ToListAsync());
            Assert.Equal(1, await db.ApiKeys.CountAsync());
        }

        await using var app = new HeronFactoryOnFile(_database.Path);
        var hello = await AuthenticatedHelloAsync(app, token);
        Assert.Equal("acme-inc", hello["organization"]);
        Assert.Equal("prod", hello["environment"]);
    }

    [Fact]
    public async Task Create_operator_adds_an_internal_realm_account_and_refuses_passwords_under_12_characters()
    {
        const string password = "correct horse battery staple";
        var created = await _cli.RunAsync("create-operator", "--email", "ops@heron.test", "--password", password);
        AssertSucceeded(created);
        Assert.Single(created.StdoutLines);

        var tooShort = await _cli.RunAsync("create-operator", "--email", "ops2@heron.test", "--password", "short pass");
        AssertFailedWithOneLineError(tooShort);
        Assert.Contains("12", tooShort.Stderr);

        await using var db = _database.OpenContext();
        var user = await db.Users.Include(u => u.Realm).ThenInclude(r => r.Organization).SingleAsync();
        Assert.Equal("ops@heron.test", user.Email);
        Assert.Equal(RealmKind.Internal, user.Realm.Kind);
        Assert.Equal("heron", user.Realm.Organization.Slug);
        Assert.False(string.IsNullOrEmpty(user.PasswordHash));
        Assert.DoesNotContain(password, user.PasswordHash);
    }

    [Theory]
    [InlineData("--colour", new[] { "onboard", "--organization", "Acme Inc", "--email", "jane@acme.com", "--colour", "blue" })]
    [InlineData("--environment", new[] { "issue-key", "--organization", "acme-inc", "--name", "CI" })]
    [InlineData("staging", new[] { "issue-key", "--organization", "acme-inc", "--environment", "staging", "--name", "CI" })]
    public async Task Usage_errors_exit_2_with_one_line_naming_the_problem(string named, string[] args)
    {
        var run = await _cli.RunAsync(args);

        AssertFailedWithOneLineError(run);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(named, run.Stderr);
    }

    [Fact]
    public async Task Issue_key_refuses_a_129_character_name_with_one_line_naming_the_limit()
    {
        var run = await _cli.RunAsync("issue-key", "--organization", "acme-inc", "--environment", "development", "--name", new string('n', 129));

        AssertFailedWithOneLineError(run);
        Assert.Contains("--name", run.Stderr);
        Assert.Contains("128", run.Stderr);
    }

    [Fact]
    public async Task Migrate_creates_every_table_in_a_fresh_file_with_its_logs_on_stderr_only()
    {
        _cli.Environment[EfCoreLogLevel] = "Information";

        var run = await _cli.RunAsync("migrate");

        AssertSucceeded(run);
        Assert.Equal(["Database is up to date."], run.StdoutLines);
        Assert.Contains("InitialCreate", run.Stderr);

        var tables = new List<string>();
        await using (var connection = new SqliteConnection(_database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }
        Assert.Superset(
            new HashSet<string> { "Organizations", "Realms", "ApiKeys", "ApiKeyEvents", "AspNetUsers", "DataProtectionKeys", "__EFMigrationsHistory" },
            tables.ToHashSet());

        await using var db = _database.OpenContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    private static void AssertSucceeded(CliRun run) => Assert.True(run.ExitCode == 0, run.ToString());

    private static void AssertFailedWithOneLineError(CliRun run)
    {
        Assert.True(run.ExitCode != 0, run.ToString());
        Assert.True(run.Stdout.Length == 0, $"stdout must stay empty on failure. {run}");
        Assert.True(run.StderrLines is [var line] && line.StartsWith("error: ", StringComparison.Ordinal),
            $"stderr must be exactly one 'error:' line. {run}");
    }

    /// <summary>The token the run printed, after checking stdout is that token and a newline, nothing else.</summary>
    private static string SingleToken(CliRun run)
    {
        var stdout = run.Stdout.ReplaceLineEndings("\n");
        var token = stdout.TrimEnd('\n');
        Assert.True(TokenAlone.IsMatch(token) && stdout == token + "\n", $"stdout must be the token alone. {run}");
        Assert.Equal(TokenShape.WellFormed, ApiKeyToken.Inspect(token));
        return token;
    }

    private static async Task<Dictionary<string, string>> AuthenticatedHelloAsync(HeronFactory app, string token)
    {
        var response = await app.ClientWithKey(token).GetAsync("/api/hello_world/authenticated");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!;
    }
}
