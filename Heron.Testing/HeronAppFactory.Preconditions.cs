using Heron.Web.Accounts;
using Heron.Web.ApiKeys;
using Heron.Web.Audit;
using Heron.Web.Organizations;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Testing;

/// <summary>The data tests start from, made through the services the CLI verbs call, as an operator would make it.</summary>
public partial class HeronAppFactory
{
    /// <summary>Onboards an organization with a unique name, as <c>onboard</c> does; returns its slug.</summary>
    public Task<string> OnboardAsync(string? name = null) =>
        OnboardAsync(name ?? $"Org {Unique()}", $"owner-{Unique()}@example.com");

    /// <summary>Onboards <paramref name="name"/> as <c>onboard</c> does: <paramref name="email"/> is invited by email. Returns the slug.</summary>
    public Task<string> OnboardAsync(string name, string email) =>
        WithScopeAsync(async services =>
        {
            var onboarding = await services.GetRequiredService<OrganizationService>().OnboardAsync(name, email, Actor.Cli(), default);
            return onboarding.Organization.Slug;
        });

    /// <summary>Provisions the organization's production realm, as <c>grant-production</c> does, without inviting anyone.</summary>
    public Task GrantProductionAsync(string slug) =>
        WithScopeAsync(services => services.GetRequiredService<OrganizationService>().GrantProductionAsync(slug, default));

    /// <summary>Issues a key, as <c>issue-key</c> does; returns the token.</summary>
    public Task<string> IssueKeyAsync(string slug, RealmKind kind = RealmKind.Development, string name = "test key") =>
        WithScopeAsync(async services =>
        {
            var realm = await services.GetRequiredService<OrganizationService>().FindRealmAsync(slug, kind, default);
            var issued = await services.GetRequiredService<ApiKeyService>().CreateAsync(realm.Id, name, Actor.Cli(), default);
            return issued.Token;
        });

    /// <summary>Issues a development key named <paramref name="name"/>; returns the token.</summary>
    public Task<string> IssueKeyAsync(string slug, string name) => IssueKeyAsync(slug, RealmKind.Development, name);

    /// <summary>Creates a Heron operator (internal realm), as <c>create-operator</c> does; returns its email.</summary>
    public Task<string> CreateOperatorAsync(string password) =>
        WithScopeAsync(async services =>
        {
            var email = $"operator-{Unique()}@heron.test";
            await services.GetRequiredService<OrganizationService>().CreateOperatorAsync(email, password, default);
            return email;
        });

    /// <summary>
    /// A dashboard login with <paramref name="password"/> in the <paramref name="kind"/> realm of
    /// <paramref name="slug"/>, or of a new organization whose first user it is when none is given (the
    /// password supersedes the invitation). It has never been used from any browser.
    /// </summary>
    public Task<Account> AccountAsync(string password, RealmKind kind = RealmKind.Development, string? slug = null, string? email = null) =>
        WithScopeAsync(async services =>
        {
            var organizations = services.GetRequiredService<OrganizationService>();
            var users = services.GetRequiredService<UserManager<HeronUser>>();
            email ??= $"user-{Unique()}@example.com";
            slug ??= (await organizations.OnboardAsync($"Org {Unique()}", email, Actor.Cli(), default)).Organization.Slug;
            var realm = await organizations.FindRealmAsync(slug, kind, default);
            if (await users.FindByNameAsync(HeronUser.UserNameFor(realm, email)) is { } invited)
            {
                var added = await users.AddPasswordAsync(invited, password);
                if (!added.Succeeded)
                {
                    throw new InvalidOperationException(string.Join(" ", added.Errors.Select(e => e.Description)));
                }
            }
            else
            {
                await services.GetRequiredService<AccountService>().CreateAccountAsync(realm, email, password);
            }
            return new Account(slug, realm.Organization.Name, email, kind);
        });

    /// <summary>Unique enough for names within one test database, short enough to read in a screenshot.</summary>
    private static string Unique() => Guid.NewGuid().ToString("N")[..12];
}

/// <summary>A dashboard login made as a precondition.</summary>
public sealed record Account(string Slug, string OrganizationName, string Email, RealmKind Kind);
