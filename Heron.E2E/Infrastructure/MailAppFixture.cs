using Heron.Testing;
using Heron.Web.Accounts;
using Heron.Web.ApiKeys;
using Heron.Web.Audit;
using Heron.Web.Organizations;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.E2E.Infrastructure;

/// <summary>
/// The real app delivering its mail over SMTP to a real SMTP server on loopback (<see cref="SmtpTestServer"/>),
/// with a quick outbox and quick last-used flushes, so journeys wait on real emails and real counters
/// rather than on the clock. Also makes the preconditions journeys start from (an operator, an account
/// that already has a password), the way the CLI verbs do.
/// </summary>
public sealed class MailAppFixture : AppFixture
{
    public MailAppFixture()
    {
        Settings["Email:Smtp:Host"] = "127.0.0.1";
        Settings["Email:Smtp:Port"] = Smtp.Port.ToString();
        Settings["Email:Smtp:Security"] = "None";
        Settings["Email:PollInterval"] = "00:00:00.200";
        Settings["Email:RetryBaseDelay"] = "00:00:00.100";
        Settings["ApiKeys:LastUsedFlushInterval"] = "00:00:00.200";
        // Every journey signs in from 127.0.0.1, wrong passwords included; the per-address budget has its own tests.
        Settings["SignIn:AttemptsPerMinute"] = "1000";
        Mail = new Mailbox(Smtp, () => ServerAddress);
    }

    public SmtpTestServer Smtp { get; } = new();

    public Mailbox Mail { get; }

    public HeronApi Api => new(ServerAddress);

    public override async Task InitializeAsync()
    {
        Smtp.Start();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }

    /// <summary>Creates a Heron operator as <c>create-operator</c> does; returns its email.</summary>
    public Task<string> CreateOperatorAsync(string password) =>
        WithScopeAsync(async services =>
        {
            var email = $"ops-{Guid.NewGuid().ToString("N")[..8]}@heron.test";
            await services.GetRequiredService<OrganizationService>().CreateOperatorAsync(email, password, default);
            return email;
        });

    /// <summary>Onboards an organization as <c>onboard</c> does: its first user is invited by email. Returns the slug.</summary>
    public Task<string> OnboardAsync(string name, string email) =>
        WithScopeAsync(async services =>
        {
            var onboarding = await services.GetRequiredService<OrganizationService>().OnboardAsync(name, email, Actor.Cli(), default);
            return onboarding.Organization.Slug;
        });

    /// <summary>Provisions production for an organization as <c>grant-production</c> does, without inviting anyone.</summary>
    public Task GrantProductionAsync(string slug) =>
        WithScopeAsync(async services => await services.GetRequiredService<OrganizationService>().GrantProductionAsync(slug, default));

    /// <summary>
    /// A precondition for journeys that start from an existing login: an account with
    /// <paramref name="password"/> in the <paramref name="kind"/> realm of <paramref name="slug"/>, or of a
    /// new organization when none is given. The account has never been used from any browser.
    /// </summary>
    public Task<Account> AccountAsync(string password, RealmKind kind = RealmKind.Development, string? slug = null, string? email = null) =>
        WithScopeAsync(async services =>
        {
            var organizations = services.GetRequiredService<OrganizationService>();
            var accounts = services.GetRequiredService<AccountService>();
            var users = services.GetRequiredService<UserManager<HeronUser>>();
            email ??= $"dev-{Guid.NewGuid().ToString("N")[..8]}@example.com";
            if (slug is null)
            {
                // The account's owner is the organization's first user; the invitation is superseded by the password.
                var onboarding = await organizations.OnboardAsync($"Org {Guid.NewGuid().ToString("N")[..8]}", email, Actor.Cli(), default);
                slug = onboarding.Organization.Slug;
            }
            var realm = await organizations.FindRealmAsync(slug, kind, default);
            var user = await users.FindByNameAsync(HeronUser.UserNameFor(realm, email))
                ?? await accounts.CreateAccountAsync(realm, email, password: null);
            var added = await users.AddPasswordAsync(user, password);
            Assert.True(added.Succeeded, string.Join(" ", added.Errors.Select(e => e.Code)));
            return new Account(slug, realm.Organization.Name, email, kind);
        });
}

/// <summary>A dashboard login made as a precondition.</summary>
public sealed record Account(string Slug, string OrganizationName, string Email, RealmKind Kind);
