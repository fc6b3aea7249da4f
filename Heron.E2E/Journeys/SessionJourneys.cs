using System.Text.RegularExpressions;
using Heron.E2E.Infrastructure;
using Heron.E2E.Pages;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Heron.E2E.Journeys;

/// <summary>
/// Settings → Security: the account's dashboard sessions, in real Chromium against the app on Kestrel, each
/// browser a context of its own (its own cookies), as a laptop and another machine are.
/// </summary>
public sealed class SessionJourneys(MailAppFixture app, BrowserFixture browser, ITestOutputHelper output)
    : MailBrowserTest(app, browser, output)
{
    private const string Password = "heron sessions journey";
    /// <summary>What another browser on another machine tells the app it is.</summary>
    private const string FirefoxOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";

    [Fact]
    public Task Signing_out_all_other_sessions_ends_the_other_browsers_session_and_keeps_this_one() => WithBrowsersAsync(async browsers =>
    {
        var account = await App.AccountAsync(Secrets.Add(Password));
        var laptop = await browsers.OpenAsync("laptop");
        await (await LoginPage.OpenAsync(laptop)).SignInToDashboardAsync(account.Email, Password);
        var desktop = await browsers.OpenAsync("desktop", FirefoxOnWindows);
        await (await LoginPage.OpenAsync(desktop)).SignInToDashboardAsync(account.Email, Password);

        // Both sessions are listed; only the laptop's is marked as this browser, though the desktop's is the newer.
        var security = await SecurityPage.OpenFromNavigationAsync(laptop);
        var thisBrowser = security.Row("Chrome on Linux");
        var otherBrowser = security.Row("Firefox on Windows");
        await Expect(security.Rows).ToHaveCountAsync(2);
        await Expect(thisBrowser.Locator).ToHaveCountAsync(1);
        await Expect(otherBrowser.Locator).ToHaveCountAsync(1);
        await Expect(thisBrowser.ThisBrowserBadge).ToBeVisibleAsync();
        await Expect(otherBrowser.ThisBrowserBadge).ToHaveCountAsync(0);
        await Expect(security.CurrentSessions).ToHaveCountAsync(1);
        await Expect(otherBrowser.Address).ToHaveTextAsync("127.0.0.1");
        await Expect(otherBrowser.SignOutButton).ToHaveAccessibleNameAsync("Sign out Firefox on Windows (127.0.0.1)");
        await Expect(thisBrowser.SignOutButton).ToHaveAccessibleNameAsync("Sign out Chrome on Linux (this browser)");
        await Screenshots.SaveAsync(laptop, "security-sessions");

        await security.SignOutOtherSessionsAsync();

        await Expect(security.StatusMessage).ToHaveTextAsync("1 other session was signed out.");
        await Expect(security.Rows).ToHaveCountAsync(1);
        await Expect(thisBrowser.ThisBrowserBadge).ToBeVisibleAsync();
        await Expect(otherBrowser.Locator).ToHaveCountAsync(0);
        // Nothing else to sign out: the button is gone.
        await Expect(security.SignOutOtherSessionsButton).ToHaveCountAsync(0);

        // The desktop's cookie no longer opens the dashboard: its next page is the sign-in.
        await desktop.GotoAsync(ApiCredentialsPage.PathFor("dev"));
        var login = await new LoginPage(desktop).ExpectShownAsync();
        await Expect(desktop).ToHaveURLAsync(new Regex("/account/login\\?environment=dev&returnUrl=%2Fdev%2Fsettings%2Fapi-credentials$"));
        await Expect(login.Email).ToBeVisibleAsync();
        await Expect(login.Development).ToBeCheckedAsync();

        // The laptop is still signed in.
        var credentials = await ApiCredentialsPage.OpenAsync(laptop, "dev");
        await Expect(credentials.Banner).ToContainTextAsync(account.Email);
    });
}
