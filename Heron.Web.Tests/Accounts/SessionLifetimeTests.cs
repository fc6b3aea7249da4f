using System.Net;
using Heron.Web.Organizations;
using Heron.Web.Tests.Infrastructure;

namespace Heron.Web.Tests.Accounts;

/// <summary>A session ends at its absolute lifetime however busy, and after its idle timeout; each realm kind has its own.</summary>
public sealed class SessionLifetimeTests(SessionLifetimeTests.Factory factory) : IClassFixture<SessionLifetimeTests.Factory>
{
    private const string Password = "a-long-dashboard-password";

    public sealed class Factory : MailingHeronFactory
    {
        public Factory()
        {
            Settings["Sessions:Development:AbsoluteLifetime"] = "00:00:03";
            Settings["Sessions:Production:IdleTimeout"] = "00:00:03";
        }
    }

    [Fact]
    public async Task A_development_session_ends_at_its_absolute_lifetime_even_while_in_use()
    {
        var (_, email) = await factory.AccountAsync(Password);
        var browser = new CookieBrowser(factory);
        await browser.Dashboard.SignInAsync(email, Password);

        var ended = await Eventually.WaitForAsync(() => browser.Http.GetAsync("/dev/settings/api-credentials"),
            r => r.StatusCode == HttpStatusCode.Redirect, TimeSpan.FromSeconds(20), "the session to reach its absolute lifetime");

        Assert.StartsWith("/account/login", ended.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_production_session_left_idle_ends_while_a_development_one_lives_on()
    {
        var (slug, email) = await factory.AccountAsync(Password);
        await factory.GrantProductionAsync(slug);
        await factory.AccountAsync(Password, RealmKind.Production, slug, email);
        var browser = new CookieBrowser(factory);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Dashboard.SignInAsync(email, Password, "prod")).StatusCode);
        var cookie = browser.SessionCookie("prod");
        Assert.Equal(HttpStatusCode.OK, (await CookieBrowser.ReplayAsync(factory, cookie, "/prod/settings/api-credentials")).StatusCode);

        var ended = await Eventually.WaitForAsync(() => CookieBrowser.ReplayAsync(factory, cookie, "/prod/settings/api-credentials"),
            r => r.StatusCode == HttpStatusCode.Redirect, TimeSpan.FromSeconds(20), "the idle production session to end");

        Assert.StartsWith("/account/login?environment=prod", ended.Headers.Location!.ToString());
    }
}

/// <summary>Two instances on one database: a session ended on one is refused by the other on its next request.</summary>
public sealed class CrossInstanceSessionTests(MailingHeronFactory factory) : IClassFixture<MailingHeronFactory>
{
    [Fact]
    public async Task A_session_signed_out_on_one_instance_is_refused_by_the_other_within_a_second()
    {
        await using var other = factory.SecondInstance();
        var (_, email) = await factory.AccountAsync("a-long-dashboard-password");
        var browser = new CookieBrowser(factory);
        await browser.Dashboard.SignInAsync(email, "a-long-dashboard-password");
        var cookie = browser.SessionCookie("dev");
        Assert.Equal(HttpStatusCode.OK, (await CookieBrowser.ReplayAsync(other, cookie, "/dev/settings/api-credentials")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitAsync("/dev/settings/api-credentials", "/dev/sign-out")).StatusCode);

        await Eventually.WaitForAsync(() => CookieBrowser.ReplayAsync(other, cookie, "/dev/settings/api-credentials"),
            r => r.StatusCode == HttpStatusCode.Redirect, TimeSpan.FromSeconds(1), "the other instance to refuse the ended session");
    }
}
