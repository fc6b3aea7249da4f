using Heron.Testing;
using Heron.Web.Accounts;
using Heron.Web.Audit;
using Heron.Web.Organizations;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.Infrastructure;

/// <summary>The app delivering its mail over SMTP to a real server on loopback, with quick retries.</summary>
public class MailingHeronFactory : HeronFactory, IAsyncLifetime
{
    public const string BaseUrl = "https://heron.example";

    public MailingHeronFactory()
    {
        Settings["Email:Smtp:Host"] = "127.0.0.1";
        Settings["Email:Smtp:Port"] = Smtp.Port.ToString();
        Settings["Email:Smtp:Security"] = "None";
        Settings["Email:PollInterval"] = "00:00:00.200";
        Settings["Email:RetryBaseDelay"] = "00:00:00.100";
        Settings["Heron:BaseUrl"] = BaseUrl;
    }

    public SmtpTestServer Smtp { get; } = new();

    public Task InitializeAsync()
    {
        Smtp.Start();
        return Task.CompletedTask;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Smtp.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>An account with a password in the given realm of a new organization; returns (slug, email).</summary>
    public Task<(string Slug, string Email)> AccountAsync(string password, RealmKind kind = RealmKind.Development, string? slug = null, string? email = null) =>
        WithScopeAsync(async services =>
        {
            var organizations = services.GetRequiredService<OrganizationService>();
            var users = services.GetRequiredService<UserManager<HeronUser>>();
            email ??= $"user-{Guid.NewGuid():N}@example.com";
            if (slug is null)
            {
                var onboarding = await organizations.OnboardAsync($"Org {Guid.NewGuid():N}", email, Actor.Cli(), default);
                slug = onboarding.Organization.Slug;
            }
            var realm = await organizations.FindRealmAsync(slug, kind, default);
            var user = await users.FindByNameAsync(HeronUser.UserNameFor(realm, email));
            if (user is null)
            {
                user = new HeronUser { UserName = HeronUser.UserNameFor(realm, email), Email = email, RealmId = realm.Id };
                var created = await users.CreateAsync(user);
                Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
            }
            var added = await users.AddPasswordAsync(user, password);
            Assert.True(added.Succeeded, string.Join(" ", added.Errors.Select(e => e.Description)));
            return (slug, email);
        });

    /// <summary>A browser-like client: keeps cookies, does not follow redirects.</summary>
    public DashboardClient Dashboard()
    {
        StartServer();
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() };
        return new(new HttpClient(handler) { BaseAddress = ClientOptions.BaseAddress });
    }
}
