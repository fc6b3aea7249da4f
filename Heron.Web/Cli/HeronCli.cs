using Heron.Web.ApiKeys;
using Heron.Web.Audit;
using Heron.Web.Common;
using Heron.Web.Data;
using Heron.Web.Email;
using Heron.Web.Organizations;
using Heron.Web.Production;

namespace Heron.Web.Cli;

/// <summary>
/// Operations verbs of the same binary: <c>dotnet Heron.Web.dll VERB --option value …</c>. A verb runs and
/// exits: 0 with its result alone on stdout, or non-zero with a one-line error on stderr.
/// </summary>
public static class HeronCli
{
    private sealed record Verb(string Name, string Usage, string[] Required, string[] Optional,
        Func<IServiceProvider, IReadOnlyDictionary<string, string>, TextWriter, CancellationToken, Task> Run);

    private static readonly Verb[] Verbs =
    [
        new("migrate", "migrate", [], [], async (services, _, stdout, ct) =>
        {
            await services.MigrateAsync(ct);
            await stdout.WriteLineAsync("Database is up to date.");
        }),
        new("create-operator", "create-operator --email E --password P   (P '-' reads it from stdin)", ["email", "password"], [],
            async (services, options, stdout, ct) =>
            {
                var password = options["password"] == "-" ? (Console.In.ReadLine() ?? "") : options["password"];
                var user = await Service<OrganizationService>(services).CreateOperatorAsync(options["email"], password, ct);
                await stdout.WriteLineAsync(user.Email);
            }),
        new("onboard", "onboard --organization NAME --email E", ["organization", "email"], [],
            async (services, options, stdout, ct) =>
            {
                var onboarding = await Service<OrganizationService>(services).OnboardAsync(options["organization"], options["email"], Actor.Cli(), ct);
                await stdout.WriteLineAsync(onboarding.Organization.Slug);
            }),
        new("grant-production", "grant-production --organization SLUG [--email E]   (approves its pending request; invites the requester, or E)",
            ["organization"], ["email"],
            async (services, options, stdout, ct) =>
            {
                var realm = await Service<ProductionAccessService>(services)
                    .GrantAsync(options["organization"], Actor.Cli(), options.GetValueOrDefault("email"), ct);
                await stdout.WriteLineAsync(realm.Username);
            }),
        new("issue-key", "issue-key --organization SLUG --environment development|production --name N", ["organization", "environment", "name"], [],
            async (services, options, stdout, ct) =>
            {
                if (!RealmKindExtensions.TryParseCustomerRealm(options["environment"], out var kind))
                {
                    throw new CliUsageException($"--environment must be 'development' or 'production', not '{options["environment"]}'.");
                }
                if (ApiKeyName.Validate(options["name"], out var name) is { } problem)
                {
                    throw new HeronRuleException($"--name: {problem}");
                }
                var realm = await Service<OrganizationService>(services).FindRealmAsync(options["organization"], kind, ct);
                var issued = await Service<ApiKeyService>(services).CreateAsync(realm.Id, name, Actor.Cli(), ct);
                await stdout.WriteLineAsync(issued.Token);
            }),
    ];

    public static bool IsInvocation(string[] args) =>
        args.Length > 0 && (Verbs.Any(v => v.Name == args[0]) || args[0] is "help" or "--help" or "-h");

    public static async Task<int> RunAsync(IServiceProvider rootServices, string[] args, TextWriter stdout, TextWriter stderr,
        CancellationToken cancellationToken = default)
    {
        var verb = Verbs.FirstOrDefault(v => v.Name == args[0]);
        if (verb is null)
        {
            await stdout.WriteLineAsync("Usage: Heron.Web VERB [options]\n\n" + string.Join('\n', Verbs.Select(v => "  " + v.Usage)));
            return 0;
        }

        try
        {
            var options = Parse(verb, args[1..]);
            if (verb.Name != "migrate")
            {
                // The embedded database migrates itself; SQL Server must already be migrated.
                await rootServices.PrepareDatabaseAsync(cancellationToken);
            }
            await using (var scope = rootServices.CreateAsyncScope())
            {
                await verb.Run(scope.ServiceProvider, options, stdout, cancellationToken);
            }
            await DeliverMailAsync(rootServices, stderr, cancellationToken);
            return 0;
        }
        catch (Exception ex) when (ex is HeronRuleException or CliUsageException or InvalidOperationException)
        {
            await stderr.WriteLineAsync($"error: {OneLine(ex.Message)}");
            return ex is CliUsageException ? 2 : 1;
        }
        catch (Exception ex)
        {
            await stderr.WriteLineAsync($"error: {verb.Name} failed: {OneLine(ex.GetBaseException().Message)}");
            return 1;
        }
    }

    /// <summary>
    /// Sends what the verb wrote to the outbox (an invitation, say) now rather than at the site's next poll.
    /// A delivery failure does not fail the verb: the message stays in the outbox and the site retries it.
    /// </summary>
    private static async Task DeliverMailAsync(IServiceProvider services, TextWriter stderr, CancellationToken cancellationToken)
    {
        try
        {
            var sender = services.GetServices<IHostedService>().OfType<OutboxSender>().Single();
            while (await sender.DeliverDueAsync(cancellationToken) > 0)
            {
            }
        }
        catch (Exception ex)
        {
            await stderr.WriteLineAsync($"warning: email not sent yet, the site will retry: {OneLine(ex.Message)}");
        }
    }

    private static Dictionary<string, string> Parse(Verb verb, string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new CliUsageException($"unexpected argument '{arg}'. Usage: {verb.Usage}");
            }
            var equals = arg.IndexOf('=');
            var name = equals > 0 ? arg[2..equals] : arg[2..];
            if (!verb.Required.Contains(name) && !verb.Optional.Contains(name))
            {
                throw new CliUsageException($"unknown option --{name}. Usage: {verb.Usage}");
            }
            string value;
            if (equals > 0)
            {
                value = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Length && (!args[i + 1].StartsWith("--", StringComparison.Ordinal)))
            {
                value = args[++i];
            }
            else
            {
                throw new CliUsageException($"--{name} needs a value. Usage: {verb.Usage}");
            }
            if (!options.TryAdd(name, value))
            {
                throw new CliUsageException($"--{name} was given twice.");
            }
        }
        var missing = verb.Required.Where(r => !options.ContainsKey(r)).ToList();
        if (missing.Count > 0)
        {
            throw new CliUsageException($"{string.Join(", ", missing.Select(m => "--" + m))} required. Usage: {verb.Usage}");
        }
        return options;
    }

    private static T Service<T>(IServiceProvider services) where T : notnull => services.GetRequiredService<T>();

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");

    private sealed class CliUsageException(string message) : Exception(message);
}
