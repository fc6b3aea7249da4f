using System.Net;
using Heron.Testing;
using Heron.Web.ApiKeys;
using Heron.Web.Audit;
using Heron.Web.Data;
using Heron.Web.Organizations;
using Heron.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.Dashboard;

public sealed class DashboardAuthorizationTests(MailingHeronFactory factory) : IClassFixture<MailingHeronFactory>
{
    private const string Password = "a-long-dashboard-password";

    [Theory]
    [InlineData("/dev/settings/api-credentials", "dev")]
    [InlineData("/prod/settings/api-credentials", "prod")]
    [InlineData("/dev/settings/password", "dev")]
    public async Task Anonymous_visitors_are_sent_to_sign_in_to_the_realm_of_the_page(string page, string environment)
    {
        var response = await factory.Dashboard().Http.GetAsync(page);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith($"/account/login?environment={environment}&returnUrl=", location);
        Assert.Contains(Uri.EscapeDataString(page), location);
    }

    [Fact]
    public async Task Signing_in_lands_on_the_realm_dashboard_and_shows_organization_and_environment()
    {
        var (slug, email) = await factory.AccountAsync(Password);
        var dashboard = factory.Dashboard();

        var signIn = await dashboard.SignInAsync(email, Password);
        Assert.Equal("/dev/settings/api-credentials", signIn.Headers.Location!.ToString());

        var page = await dashboard.Http.GetStringAsync("/dev/settings/api-credentials");
        Assert.Contains("id=\"environment-badge\" class=\"badge badge-dev\">Development<", page);
        Assert.Contains("id=\"empty-state\"", page);
        Assert.Contains($"id=\"organization-name\" class=\"organization\">Org {slug["org-".Length..]}<", page);
    }

    [Fact]
    public async Task A_development_session_cannot_open_production_pages()
    {
        var (slug, email) = await factory.AccountAsync(Password);
        await factory.GrantProductionAsync(slug);
        var dashboard = factory.Dashboard();
        await dashboard.SignInAsync(email, Password);

        var response = await dashboard.Http.GetAsync("/prod/settings/api-credentials");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login?environment=prod", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task The_development_password_does_not_sign_in_to_production()
    {
        var (slug, email) = await factory.AccountAsync(Password);
        await factory.GrantProductionAsync(slug);
        await factory.AccountAsync("another-production-password", RealmKind.Production, slug, email);
        var dashboard = factory.Dashboard();

        var wrong = await dashboard.SignInAsync(email, Password, "prod");
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("Wrong email or password for Production", await wrong.Content.ReadAsStringAsync());

        var right = await dashboard.SignInAsync(email, "another-production-password", "prod");
        Assert.Equal("/prod/settings/api-credentials", right.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_forged_post_for_a_key_of_another_organization_answers_404_and_changes_nothing()
    {
        var (_, email) = await factory.AccountAsync(Password);
        var victim = await factory.OnboardAsync();
        var victimToken = await factory.IssueKeyAsync(victim);
        var victimKeyId = await KeyIdAsync(victimToken);
        var dashboard = factory.Dashboard();
        await dashboard.SignInAsync(email, Password);

        foreach (var handler in new[] { "Deactivate", "Delete" })
        {
            var response = await dashboard.PostFormAsync("/dev/settings/api-credentials",
                $"/dev/settings/api-credentials?handler={handler}&heronId={victimKeyId}", new());
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        var still = await factory.ClientWithKey(victimToken).GetAsync("/api/hello_world/authenticated");
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    [Fact]
    public async Task A_development_session_cannot_change_a_production_key_of_its_own_organization()
    {
        var (slug, email) = await factory.AccountAsync(Password);
        await factory.GrantProductionAsync(slug);
        var productionToken = await factory.IssueKeyAsync(slug, RealmKind.Production);
        var productionKeyId = await KeyIdAsync(productionToken);
        var dashboard = factory.Dashboard();
        await dashboard.SignInAsync(email, Password);

        var page = await dashboard.Http.GetStringAsync("/dev/settings/api-credentials");
        Assert.DoesNotContain(productionKeyId, page);
        var response = await dashboard.PostFormAsync("/dev/settings/api-credentials",
            $"/dev/settings/api-credentials?handler=Deactivate&heronId={productionKeyId}", new());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientWithKey(productionToken).GetAsync("/api/hello_world/authenticated")).StatusCode);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused()
    {
        var (slug, email) = await factory.AccountAsync(Password);
        var token = await factory.IssueKeyAsync(slug);
        var keyId = await KeyIdAsync(token);
        var dashboard = factory.Dashboard();
        await dashboard.SignInAsync(email, Password);

        var response = await dashboard.Http.PostAsync($"/dev/settings/api-credentials?handler=Deactivate&heronId={keyId}",
            new FormUrlEncodedContent(new Dictionary<string, string>()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientWithKey(token).GetAsync("/api/hello_world/authenticated")).StatusCode);
    }

    [Fact]
    public async Task Deactivating_from_the_dashboard_is_audited_with_the_user_and_takes_effect_at_once()
    {
        var (slug, email) = await factory.AccountAsync(Password);
        var token = await factory.IssueKeyAsync(slug);
        var keyId = await KeyIdAsync(token);
        var dashboard = factory.Dashboard();
        await dashboard.SignInAsync(email, Password);

        var response = await dashboard.PostFormAsync("/dev/settings/api-credentials",
            $"/dev/settings/api-credentials?handler=Deactivate&heronId={keyId}", new());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.ClientWithKey(token).GetAsync("/api/hello_world/authenticated")).StatusCode);
        var audit = await factory.WithScopeAsync(s => s.GetRequiredService<HeronDbContext>().ApiKeyEvents.AsNoTracking()
            .Where(e => e.ApiKey.HeronId == keyId).OrderBy(e => e.Id).ToListAsync());
        var deactivated = Assert.Single(audit, e => e.Kind == ApiKeyEventKind.Deactivated);
        Assert.Equal(ActorKind.User, deactivated.ActorKind);
        Assert.Equal(email, deactivated.ActorName);
        Assert.False(string.IsNullOrEmpty(deactivated.ClientIp));
    }

    [Fact]
    public async Task A_password_reset_ends_the_accounts_other_sessions()
    {
        var (_, email) = await factory.AccountAsync(Password);
        var other = factory.Dashboard();
        await other.SignInAsync(email, Password);
        Assert.Equal(HttpStatusCode.OK, (await other.Http.GetAsync("/dev/settings/api-credentials")).StatusCode);

        await factory.Dashboard().ResetPasswordByEmailAsync(factory, email, "a-brand-new-password");

        var afterReset = await other.Http.GetAsync("/dev/settings/api-credentials");
        Assert.Equal(HttpStatusCode.Redirect, afterReset.StatusCode);
        Assert.StartsWith("/account/login", afterReset.Headers.Location!.ToString());
    }

    private Task<string> KeyIdAsync(string token) =>
        factory.WithScopeAsync(s =>
        {
            var hash = ApiKeyToken.Hash(token);
            return s.GetRequiredService<HeronDbContext>().ApiKeys.Where(k => k.TokenHash == hash).Select(k => k.HeronId).SingleAsync();
        });
}
