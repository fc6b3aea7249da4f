using System.Net;
using Heron.Web.Accounts;
using Heron.Web.Data;
using Heron.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.Accounts;

/// <summary>Sessions live on the server: whatever ends one, a copy of its cookie taken before gets the sign-in page.</summary>
public sealed class ServerSessionTests(MailingHeronFactory factory) : IClassFixture<MailingHeronFactory>
{
    private const string Password = "a-long-dashboard-password";
    private const string Page = "/dev/settings/api-credentials";

    [Fact]
    public async Task A_cookie_copied_before_sign_out_gets_the_sign_in_page_afterwards()
    {
        var (_, email) = await factory.AccountAsync(Password);
        var browser = await SignedInAsync(email);
        var copied = browser.SessionCookie("dev");
        Assert.Equal(HttpStatusCode.OK, (await CookieBrowser.ReplayAsync(factory, copied, Page)).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitAsync(Page, "/dev/sign-out")).StatusCode);

        await AssertSentToSignInAsync(await CookieBrowser.ReplayAsync(factory, copied, Page));
    }

    [Fact]
    public async Task The_cookie_holds_a_session_key_and_the_server_a_record_of_who_where_and_when()
    {
        var (_, email) = await factory.AccountAsync(Password);
        var browser = new CookieBrowser(factory);
        browser.Http.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36");
        await browser.Dashboard.SignInAsync(email, Password);

        var session = Assert.Single(await SessionsOfAsync(email));
        Assert.Equal("Chrome on Linux", session.Browser);
        Assert.Equal("127.0.0.1", session.ClientIp);
        Assert.True(session.ExpiresAt > session.CreatedAt);
        // The cookie is small: a key, not the account's claims.
        Assert.True(browser.SessionCookie("dev").Length < 600, "The session cookie carries more than a session key.");
    }

    [Fact]
    public async Task An_operators_sign_out_everywhere_ends_every_session_of_the_account_at_once()
    {
        var (slug, email) = await factory.AccountAsync(Password);
        var first = (await SignedInAsync(email)).SessionCookie("dev");
        var second = (await SignedInAsync(email)).SessionCookie("dev");
        var operatorEmail = await factory.CreateOperatorAsync("an-operator-password");
        var console = new CookieBrowser(factory);
        // Operators enrol a second factor at their first sign-in.
        await console.Dashboard.SignInAsNewOperatorAsync(operatorEmail, "an-operator-password");

        var response = await console.SubmitAsync($"/admin/organizations/{slug}", "handler=SignOutEverywhere");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains($"{email} was signed out everywhere (2 sessions)", await console.Http.GetStringAsync($"/admin/organizations/{slug}"));
        await AssertSentToSignInAsync(await CookieBrowser.ReplayAsync(factory, first, Page));
        await AssertSentToSignInAsync(await CookieBrowser.ReplayAsync(factory, second, Page));
        Assert.Empty(await SessionsOfAsync(email));
    }

    [Fact]
    public async Task A_password_reset_ends_a_session_whose_cookie_was_copied()
    {
        var (_, email) = await factory.AccountAsync(Password);
        var copied = (await SignedInAsync(email)).SessionCookie("dev");

        await factory.WithScopeAsync(async s =>
        {
            var users = s.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<HeronUser>>();
            var user = (await users.Users.SingleAsync(u => u.Email == email));
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var http = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = s };
            Assert.True((await s.GetRequiredService<PasswordService>().ResetAsync(http, user, token, "a-brand-new-password")).Succeeded);
            return 0;
        });

        await AssertSentToSignInAsync(await CookieBrowser.ReplayAsync(factory, copied, Page));
        Assert.Empty(await SessionsOfAsync(email));
    }

    [Fact]
    public async Task A_password_change_ends_the_other_sessions_and_keeps_this_browser_signed_in()
    {
        var (_, email) = await factory.AccountAsync(Password);
        var other = (await SignedInAsync(email)).SessionCookie("dev");
        var browser = await SignedInAsync(email);

        var changed = await browser.Dashboard.PostFormAsync("/dev/settings/password", "/dev/settings/password", new()
        {
            ["CurrentPassword"] = Password,
            ["Input.Password"] = "another-long-password",
            ["Input.ConfirmPassword"] = "another-long-password",
        });

        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        await AssertSentToSignInAsync(await CookieBrowser.ReplayAsync(factory, other, Page));
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync(Page)).StatusCode);
        Assert.Single(await SessionsOfAsync(email));
    }

    private async Task<CookieBrowser> SignedInAsync(string email)
    {
        var browser = new CookieBrowser(factory);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Dashboard.SignInAsync(email, Password)).StatusCode);
        return browser;
    }

    private Task<List<DashboardSession>> SessionsOfAsync(string email) =>
        factory.WithScopeAsync(s => s.GetRequiredService<HeronDbContext>().DashboardSessions.AsNoTracking()
            .Where(d => d.User.Email == email).ToListAsync());

    internal static async Task AssertSentToSignInAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.ToString());
    }
}
