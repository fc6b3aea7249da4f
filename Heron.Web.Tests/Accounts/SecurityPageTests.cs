using System.Net;
using System.Text.RegularExpressions;
using Heron.Web.Tests.Infrastructure;

namespace Heron.Web.Tests.Accounts;

/// <summary>Settings → Security: the account's sessions, each of which the owner can end.</summary>
public sealed class SecurityPageTests(MailingHeronFactory factory) : IClassFixture<MailingHeronFactory>
{
    private const string Password = "a-long-dashboard-password";
    private const string Page = "/dev/settings/api-credentials";

    [Fact]
    public async Task The_page_lists_the_sessions_and_signing_one_out_ends_it_for_whoever_holds_its_cookie()
    {
        var (_, email) = await factory.AccountAsync(Password);
        var laptop = await SignedInAsync(email, "Mozilla/5.0 (Windows NT 10.0) Firefox/131.0");
        var phone = await SignedInAsync(email, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Safari/604.1");
        var stolen = phone.SessionCookie("dev");

        var html = await laptop.Http.GetStringAsync("/dev/settings/security");
        Assert.Contains("Firefox on Windows", html);
        Assert.Contains("Safari on iOS", html);
        Assert.Contains("This browser", Row(html, "Firefox on Windows"));
        Assert.DoesNotContain("This browser", Row(html, "Safari on iOS"));

        var phoneSession = Regex.Match(Row(html, "Safari on iOS"), "data-session-id=\"(\\d+)\"").Groups[1].Value;
        var ended = await laptop.SubmitAsync("/dev/settings/security", $"sessionId={phoneSession}");

        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        await ServerSessionTests.AssertSentToSignInAsync(await CookieBrowser.ReplayAsync(factory, stolen, Page));
        Assert.Equal(HttpStatusCode.OK, (await laptop.Http.GetAsync(Page)).StatusCode);
        Assert.DoesNotContain("Safari on iOS", await laptop.Http.GetStringAsync("/dev/settings/security"));
    }

    [Fact]
    public async Task Sign_out_all_others_keeps_only_this_browser()
    {
        var (_, email) = await factory.AccountAsync(Password);
        var others = new[] { await SignedInAsync(email, "curl/8.0"), await SignedInAsync(email, "curl/8.1") };
        var mine = await SignedInAsync(email, "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0");

        var response = await mine.SubmitAsync("/dev/settings/security", "handler=EndOthers");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("2 other sessions were signed out.", await mine.Http.GetStringAsync("/dev/settings/security"));
        foreach (var other in others)
        {
            await ServerSessionTests.AssertSentToSignInAsync(await other.Http.GetAsync(Page));
        }
        Assert.Equal(HttpStatusCode.OK, (await mine.Http.GetAsync(Page)).StatusCode);
    }

    [Fact]
    public async Task A_session_of_another_account_cannot_be_ended_from_here()
    {
        var (_, victim) = await factory.AccountAsync(Password);
        var victimBrowser = await SignedInAsync(victim, "curl/8.0");
        var victimSession = Regex.Match(await victimBrowser.Http.GetStringAsync("/dev/settings/security"), "data-session-id=\"(\\d+)\"").Groups[1].Value;
        var (_, attacker) = await factory.AccountAsync(Password);
        var attackerBrowser = await SignedInAsync(attacker, "curl/8.0");

        var response = await attackerBrowser.Dashboard.PostFormAsync("/dev/settings/security",
            $"/dev/settings/security?handler=End&sessionId={victimSession}", new());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await victimBrowser.Http.GetAsync(Page)).StatusCode);
    }

    private async Task<CookieBrowser> SignedInAsync(string email, string userAgent)
    {
        var browser = new CookieBrowser(factory);
        browser.Http.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Dashboard.SignInAsync(email, Password)).StatusCode);
        return browser;
    }

    private static string Row(string html, string browser)
    {
        var row = Regex.Matches(html, "<tr data-session-id[^>]*>.*?</tr>", RegexOptions.Singleline).SingleOrDefault(m => m.Value.Contains(browser));
        Assert.True(row is not null, $"No session row for {browser}.");
        return row.Value;
    }
}
