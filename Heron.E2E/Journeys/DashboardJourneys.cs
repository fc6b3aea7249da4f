using System.Text.RegularExpressions;
using Heron.E2E.Infrastructure;
using Heron.E2E.Pages;
using Heron.Web.Organizations;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Heron.E2E.Journeys;

/// <summary>
/// The dashboard as a customer uses it (issue 3, "Done when"): real Chromium against the app on Kestrel,
/// mail over SMTP to a real SMTP server on loopback, every step through the pages and the emailed links.
/// </summary>
public sealed class DashboardJourneys(MailAppFixture app, BrowserFixture browser, ITestOutputHelper output)
    : MailBrowserTest(app, browser, output)
{
    private const string Password = "amber river tuesday kite";
    private const string NewPassword = "a brand new passphrase";
    private const string ChangedPassword = "changed again under settings";
    private const string ProductionPassword = "a separate production passphrase";
    /// <summary>What another browser on another machine tells the app it is.</summary>
    private const string FirefoxOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";

    [Fact]
    public Task An_invited_user_sets_a_password_from_the_emailed_link_and_signs_in_to_development() => WithPageAsync(async page =>
    {
        Secrets.Add(Password);
        var email = $"new-{Guid.NewGuid().ToString("N")[..8]}@example.com";
        var organization = $"Invited {Guid.NewGuid().ToString("N")[..8]}";
        await App.OnboardAsync(organization, email);

        var invitation = await Mail.WaitForAsync(email, "invited");
        Assert.Contains($"Heron development account for {organization}", invitation.Subject);
        Assert.Contains("expires in 7 days", invitation.TextBody);
        Assert.Contains("Set your password", invitation.HtmlBody);
        var link = Secrets.AddLink(Mail.LinkTo(invitation, "/account/accept-invitation"));

        var accept = await AcceptInvitationPage.OpenLinkAsync(page, link);
        await Expect(accept.InvitedEmail).ToHaveTextAsync(email);
        await Screenshots.SaveAsync(page, "accept-invitation");
        var login = await accept.SetPasswordAsync(Password);

        await Expect(login.StatusMessage).ToContainTextAsync("Your password is set");
        await Expect(login.Development).ToBeCheckedAsync();
        await Expect(login.Email).ToHaveValueAsync(email);
        await Screenshots.SaveAsync(page, "login");
        var credentials = await login.SignInToDashboardAsync(email, Password, "dev");

        await Expect(credentials.OrganizationName).ToHaveTextAsync(organization);
        await Expect(credentials.EnvironmentBadge).ToHaveTextAsync("Development");
        await Expect(credentials.EnvironmentBanner).ToContainTextAsync("Development");
        await Expect(credentials.EmptyState).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "api-credentials-empty");

        var reused = await AcceptInvitationPage.OpenLinkAsync(page, link);
        await Expect(reused.LinkInvalid).ToBeVisibleAsync();
        await Expect(reused.Form).ToHaveCountAsync(0);
    });

    [Fact]
    public Task A_new_key_is_shown_once_answers_the_api_and_afterwards_only_its_prefix_is_left() => WithPageAsync(async page =>
    {
        var account = await App.AccountAsync(Secrets.Add(Password));
        var credentials = await (await LoginPage.OpenAsync(page)).SignInToDashboardAsync(account.Email, Password);
        await Expect(credentials.EmptyState).ToBeVisibleAsync();

        var dialog = await credentials.CreateKeyAsync("CI pipeline");
        var token = Secrets.Add(await dialog.ReadTokenAsync());

        Assert.True(Regex.IsMatch(token, "^key_[0-9a-f]{48}$"), "The dialog shows a whole token.");
        await Expect(dialog.Dialog).ToContainTextAsync("It will not be shown again");
        var curl = await dialog.CurlExample.TextContentAsync() ?? "";
        Assert.True(curl.StartsWith($"curl \"{App.ServerAddress}api/hello_world/authenticated\"", StringComparison.Ordinal),
            "The curl line calls the authenticated endpoint on this server.");
        TestSecrets.AssertPresent(token, curl, "the curl line");
        await Screenshots.SaveAsync(page, "token-dialog", dialog.Secrets);

        var answer = await Api.HelloAuthenticatedAsync(token);
        Assert.Equal(200, answer.Status);
        Assert.Equal(account.Slug, answer.Organization);
        Assert.Equal("dev", answer.Environment);

        await dialog.CloseAsync();
        var row = credentials.Row("CI pipeline");
        // The list is reloaded when the dialog closes: the new key is in it.
        await Expect(row.Locator).ToBeVisibleAsync();
        await Expect(row.Prefix).ToHaveTextAsync($"{token[..8]}…");
        await Expect(row.Status).ToHaveTextAsync("Active");
        await Expect(row.CreatedBy).ToHaveTextAsync(account.Email);
        await Expect(row.LastUsed).Not.ToContainTextAsync("Never");
        await page.WaitForLoadStateAsync(LoadState.Load);
        await AssertTheTokenIsNowhereAsync(page, token, "once the dialog is closed");
        await Screenshots.SaveAsync(page, "api-credentials");

        await page.GoBackAsync();
        await page.GoForwardAsync();

        await Expect(row.Locator).ToBeVisibleAsync();
        await Expect(credentials.TokenDialog.Dialog).ToBeHiddenAsync();
        await AssertTheTokenIsNowhereAsync(page, token, "after going back and forward");
    });

    [Fact]
    public Task A_deactivated_key_is_refused_and_its_refusals_counted_then_reactivated_then_deleted_after_confirmation() => WithPageAsync(async page =>
    {
        var account = await App.AccountAsync(Secrets.Add(Password));
        var credentials = await (await LoginPage.OpenAsync(page)).SignInToDashboardAsync(account.Email, Password);
        var token = await credentials.CreateKeyAndCloseAsync(Secrets, "Old backend");
        var row = credentials.Row("Old backend");
        Assert.Equal(200, (await Api.HelloAuthenticatedAsync(token)).Status);

        await row.DeactivateAsync();

        await Expect(credentials.StatusMessage).ToContainTextAsync("is deactivated");
        await Expect(row.Status).ToContainTextAsync("Deactivated");
        await Expect(row.Rejections).ToHaveAttributeAsync("data-rejected", "0");
        await Expect(row.Rejections).ToContainTextAsync("No requests rejected since deactivation");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(401, (await Api.HelloAuthenticatedAsync(token)).Status);
        }
        await page.ReloadUntilAsync(async () => await row.Rejections.CountAsync() == 1
                                                && await row.Rejections.GetAttributeAsync("data-rejected") == "3",
            "the three refused requests are counted on the deactivated key");
        await Expect(row.Rejections).ToContainTextAsync("3 requests rejected since deactivation, last");
        await Screenshots.SaveAsync(page, "api-credentials-deactivated");

        await row.ReactivateAsync();

        await Expect(credentials.StatusMessage).ToContainTextAsync("is active again");
        await Expect(row.Status).ToHaveTextAsync("Active");
        Assert.Equal(200, (await Api.HelloAuthenticatedAsync(token)).Status);

        await row.DeleteButton.ClickAsync();
        var confirmation = credentials.DeleteDialog;
        await confirmation.ExpectOpenAsync();
        await Expect(confirmation.Dialog).ToContainTextAsync("irreversible");
        await Expect(confirmation.KeyName).ToContainTextAsync($"“Old backend” ({token[..8]}…)");
        await Screenshots.SaveAsync(page, "delete-confirmation");
        await confirmation.CancelButton.ClickAsync();

        await Expect(confirmation.Dialog).ToBeHiddenAsync();
        await Expect(row.Locator).ToBeVisibleAsync();
        Assert.Equal(200, (await Api.HelloAuthenticatedAsync(token)).Status);

        await row.DeleteButton.ClickAsync();
        await confirmation.ConfirmButton.ClickAsync();

        await Expect(credentials.StatusMessage).ToHaveTextAsync("The key was deleted.");
        await Expect(row.Locator).ToHaveCountAsync(0);
        await Expect(credentials.EmptyState).ToBeVisibleAsync();
        Assert.Equal(401, (await Api.HelloAuthenticatedAsync(token)).Status);
    });

    [Fact]
    public Task Forgot_password_resets_by_a_single_use_emailed_link_and_tells_nothing_about_unknown_addresses() => WithPageAsync(async page =>
    {
        Secrets.Add(NewPassword);
        Secrets.Add(ChangedPassword);
        var account = await App.AccountAsync(Secrets.Add(Password));
        var unknown = $"nobody-{Guid.NewGuid():N}@example.com";

        var forgot = await (await LoginPage.OpenAsync(page, "dev")).ForgotPasswordAsync();
        await Screenshots.SaveAsync(page, "forgot-password");
        // The unknown address is asked for first: had it been sent anything, that would arrive first too.
        await forgot.RequestAsync(unknown);
        var answerForUnknown = await forgot.Requested.InnerTextAsync();
        forgot = await (await LoginPage.OpenAsync(page, "dev")).ForgotPasswordAsync();
        await forgot.RequestAsync(account.Email);

        Assert.Equal(answerForUnknown, await forgot.Requested.InnerTextAsync());
        await Screenshots.SaveAsync(page, "reset-requested");
        var reset = await Mail.WaitForAsync(account.Email, "Reset the password");
        Assert.Empty(Mail.To(unknown));
        Assert.Contains("expires in an hour", reset.TextBody);
        var link = Secrets.AddLink(Mail.LinkTo(reset, "/account/reset-password"));

        var resetPage = await ResetPasswordPage.OpenLinkAsync(page, link);
        await Expect(resetPage.Form).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "reset-password");
        var login = await resetPage.SetPasswordAsync(NewPassword);

        await Expect(login.StatusMessage).ToContainTextAsync("Your password was changed");
        await Expect(page).ToHaveURLAsync(new Regex("/account/login\\?environment=dev$"));
        var changed = await Mail.WaitForAsync(account.Email, "was changed");
        Assert.Contains("Every other session of the account was signed out", changed.TextBody);

        await login.SignInAsync(account.Email, Password);
        await Expect(login.Errors).ToContainTextAsync("Wrong email or password for Development");
        await login.SignInToDashboardAsync(account.Email, NewPassword);

        var reused = await ResetPasswordPage.OpenLinkAsync(page, link);
        await Expect(reused.LinkInvalid).ToBeVisibleAsync();
        await Expect(reused.Form).ToHaveCountAsync(0);

        var settings = await PasswordPage.OpenAsync(page, "dev");
        await Screenshots.SaveAsync(page, "change-password");
        await settings.ChangeAsync(NewPassword, ChangedPassword);

        await Expect(settings.StatusMessage).ToContainTextAsync("Your password was changed");
        await Mail.WaitForAsync(account.Email, "was changed", m => m.MessageId != changed.MessageId);
        await settings.SignOutAsync();
        await (await new LoginPage(page).ExpectShownAsync()).SignInToDashboardAsync(account.Email, ChangedPassword);
    });

    [Fact]
    public Task A_browser_the_account_never_used_is_announced_by_email_and_repeated_wrong_passwords_lock_the_account() => WithBrowsersAsync(async browsers =>
    {
        var account = await App.AccountAsync(Secrets.Add(Password));

        var laptop = await browsers.OpenAsync("laptop");
        var credentials = await (await LoginPage.OpenAsync(laptop)).SignInToDashboardAsync(account.Email, Password);
        var announced = await Mail.WaitForAsync(account.Email, "New sign-in to your Heron development account");
        Assert.Contains("from 127.0.0.1 using Chrome on Linux", announced.TextBody);
        Assert.Contains($"{App.ServerAddress}account/forgot-password?environment=dev", announced.TextBody);

        // The same browser again: nothing new to announce.
        await credentials.SignOutAsync();
        await (await new LoginPage(laptop).ExpectShownAsync()).SignInToDashboardAsync(account.Email, Password);
        var otherBrowser = await browsers.OpenAsync("other-browser", FirefoxOnWindows);
        await (await LoginPage.OpenAsync(otherBrowser)).SignInToDashboardAsync(account.Email, Password);

        await Mail.WaitForAsync(account.Email, "New sign-in", m => (m.TextBody ?? "").Contains("using Firefox on Windows"));
        // Mail goes out in the order it was written, so anything the laptop's second sign-in sent is here by now.
        Assert.Equal(2, Mail.To(account.Email, "New sign-in").Count);

        var attacker = await browsers.OpenAsync("attacker");
        var login = await LoginPage.OpenAsync(attacker);
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await login.SignInAsync(account.Email, $"not the password, try {attempt}");
            await Expect(login.Errors).ToContainTextAsync("Wrong email or password for Development");
        }
        await login.SignInAsync(account.Email, "not the password, try 5");

        // The notice is the one any wrong password gets, so it says nothing about which addresses have accounts.
        await Expect(login.Errors).ToContainTextAsync("After 5 failed attempts an account is locked for 15 minutes");
        await Screenshots.SaveAsync(attacker, "login-locked");
        var locked = await Mail.WaitForAsync(account.Email, "locked");
        Assert.Equal("Your Heron development account was locked", locked.Subject);
        Assert.Contains("locked after repeated failed sign-ins", locked.TextBody);

        await login.SignInAsync(account.Email, Password);
        await Expect(login.Errors).ToContainTextAsync("Wrong email or password for Development");
        await Expect(attacker).ToHaveURLAsync(new Regex("/account/login$"));
    });

    [Fact]
    public Task A_development_session_cannot_see_or_change_a_production_key_and_the_other_way_round() => WithPageAsync(async page =>
    {
        var development = await App.AccountAsync(Secrets.Add(Password));
        await App.GrantProductionAsync(development.Slug);
        await App.AccountAsync(Secrets.Add(ProductionPassword), RealmKind.Production, development.Slug, development.Email);

        var devCredentials = await (await LoginPage.OpenAsync(page)).SignInToDashboardAsync(development.Email, Password, "dev");
        var devToken = await devCredentials.CreateKeyAndCloseAsync(Secrets, "Staging service");

        // Only a development session: production asks for production's own sign-in.
        await page.GotoAsync(ApiCredentialsPage.PathFor("prod"));
        var productionLogin = await new LoginPage(page).ExpectShownAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/account/login\\?environment=prod&returnUrl=%2Fprod%2Fsettings%2Fapi-credentials$"));
        await Expect(productionLogin.Production).ToBeCheckedAsync();
        await productionLogin.SignInAsync(development.Email, Password, "prod");
        await Expect(productionLogin.Errors).ToContainTextAsync("Wrong email or password for Production");
        var prodCredentials = await productionLogin.SignInToDashboardAsync(development.Email, ProductionPassword, "prod");

        await Expect(prodCredentials.EnvironmentBadge).ToHaveTextAsync("Production");
        await Expect(prodCredentials.EnvironmentBanner).ToContainTextAsync("PRODUCTION");
        await Expect(prodCredentials.Body).ToHaveClassAsync("env-production");
        await Expect(prodCredentials.EmptyState).ToBeVisibleAsync();
        var prodToken = await prodCredentials.CreateKeyAndCloseAsync(Secrets, "Live service");
        await Expect(prodCredentials.Rows).ToHaveCountAsync(1);
        await Screenshots.SaveAsync(page, "api-credentials-production");
        var prodKey = await prodCredentials.Row("Live service").HeronIdAsync();

        devCredentials = await ApiCredentialsPage.OpenAsync(page, "dev");
        await Expect(devCredentials.Rows).ToHaveCountAsync(1);
        await Expect(devCredentials.Row("Staging service").Locator).ToBeVisibleAsync();
        var devKey = await devCredentials.Row("Staging service").HeronIdAsync();

        // The development page's own form, aimed at the production key: not found, nothing changes.
        Assert.Equal(302, await PostKeyActionAsync(devCredentials, "Reactivate", devKey));
        Assert.Equal(404, await PostKeyActionAsync(devCredentials, "Deactivate", prodKey));
        Assert.Equal(404, await PostKeyActionAsync(devCredentials, "Delete", prodKey));
        prodCredentials = await ApiCredentialsPage.OpenAsync(page, "prod");
        await Expect(prodCredentials.Rows).ToHaveCountAsync(1);
        await Expect(prodCredentials.Row("Live service").Status).ToHaveTextAsync("Active");
        Assert.Equal(302, await PostKeyActionAsync(prodCredentials, "Reactivate", prodKey));
        Assert.Equal(404, await PostKeyActionAsync(prodCredentials, "Deactivate", devKey));
        Assert.Equal(404, await PostKeyActionAsync(prodCredentials, "Delete", devKey));
        devCredentials = await ApiCredentialsPage.OpenAsync(page, "dev");
        await Expect(devCredentials.Row("Staging service").Status).ToHaveTextAsync("Active");

        Assert.Equal(new HelloAnswer(200, development.Slug, "dev"), await Api.HelloAuthenticatedAsync(devToken));
        Assert.Equal(new HelloAnswer(200, development.Slug, "prod"), await Api.HelloAuthenticatedAsync(prodToken));
    });

    /// <summary>
    /// Posts the page's own form (its antiforgery token, its session) to a key action for <paramref name="heronId"/>,
    /// as a tampered form or a forged request from that browser would; returns the status, redirects not followed.
    /// </summary>
    private async Task<int> PostKeyActionAsync(ApiCredentialsPage credentials, string handler, string heronId)
    {
        var request = credentials.Page.APIRequest;
        var form = request.CreateFormData();
        form.Set("__RequestVerificationToken", await credentials.AntiforgeryToken.InputValueAsync());
        var url = new Uri(App.ServerAddress, $"{ApiCredentialsPage.PathFor(credentials.Environment)}?handler={handler}&heronId={heronId}");
        var response = await request.PostAsync(url.ToString(), new() { Form = form, MaxRedirects = 0 });
        return response.Status;
    }

    /// <summary>The token is not in the page, the new-token field, a cookie, web storage or the URL.</summary>
    private static async Task AssertTheTokenIsNowhereAsync(IPage page, string token, string when)
    {
        TestSecrets.AssertAbsent(token, await page.ContentAsync(), $"the page source {when}");
        TestSecrets.AssertAbsent(token, await page.Locator("body").InnerTextAsync(), $"the page's text {when}");
        Assert.True((await page.Locator("#new-token").InputValueAsync()).Length == 0, $"The new-token field is not empty {when}.");
        var cookies = await page.Context.CookiesAsync();
        TestSecrets.AssertAbsent(token, string.Join("\n", cookies.Select(c => $"{c.Name}={c.Value}")), $"a cookie {when}");
        var storage = await page.EvaluateAsync<string>("() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })");
        TestSecrets.AssertAbsent(token, storage, $"web storage {when}");
        TestSecrets.AssertAbsent(token, page.Url, $"the URL {when}");
    }
}
