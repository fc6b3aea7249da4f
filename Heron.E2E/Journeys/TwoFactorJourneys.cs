using System.Text.RegularExpressions;
using Heron.E2E.Infrastructure;
using Heron.E2E.Pages;
using Heron.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Heron.E2E.Journeys;

/// <summary>
/// Two-factor sign-in (issue 11, "Done when"): in real Chromium, the test is the authenticator app,
/// computing codes from the setup key the page shows; mail arrives over SMTP.
/// </summary>
public sealed class TwoFactorJourneys(MailAppFixture app, BrowserFixture browser, ITestOutputHelper output)
    : MailBrowserTest(app, browser, output)
{
    private const string Password = "heron two factor journey";
    private const string OperatorPassword = "an operator's own passphrase";

    [Fact]
    public Task A_user_enrols_an_authenticator_signs_in_with_a_code_and_with_a_recovery_code_that_then_fails_a_second_time() => WithPageAsync(async page =>
    {
        var account = await App.AccountAsync(Secrets.Add(Password));
        await (await LoginPage.OpenAsync(page)).SignInToDashboardAsync(account.Email, Password);

        // Enrol: scan (the test reads the setup key), confirm with a code, keep the ten recovery codes.
        var settings = await TwoFactorSettingsPage.OpenFromNavigationAsync(page);
        var (setupKey, recoveryCodes) = await settings.EnrolAsync(Secrets);
        await Screenshots.SaveAsync(page, "two-factor-recovery-codes", settings.RecoveryCodes);
        var enabled = await Mail.WaitForAsync(account.Email, "Two-factor sign-in is on");
        Assert.All(recoveryCodes, code => Assert.DoesNotContain(code, enabled.TextBody));

        // Sign out, then sign in with the password and a code from the app.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        var login = await new LoginPage(page).ExpectShownAsync();
        await login.SignInAsync(account.Email, Password);
        var second = await SecondFactorPage.ExpectShownAsync(page);
        await Screenshots.SaveAsync(page, "two-factor-sign-in");
        // The app's next code: the one that confirmed the enrolment is spent.
        await second.VerifyAsync(Totp.NextCode(setupKey));
        await ApiCredentialsPage.ExpectShownAsync(page, "dev");

        // Sign out, then sign in with a recovery code instead.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await (await new LoginPage(page).ExpectShownAsync()).SignInAsync(account.Email, Password);
        var recovery = await (await SecondFactorPage.ExpectShownAsync(page)).UseRecoveryCodeAsync();
        await recovery.SignInAsync(recoveryCodes[0]);
        await ApiCredentialsPage.ExpectShownAsync(page, "dev");
        await Mail.WaitForAsync(account.Email, "A recovery code was used");

        // The same recovery code fails the second time.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await (await new LoginPage(page).ExpectShownAsync()).SignInAsync(account.Email, Password);
        recovery = await (await SecondFactorPage.ExpectShownAsync(page)).UseRecoveryCodeAsync();
        await recovery.SignInAsync(recoveryCodes[0]);
        await Expect(recovery.Error).ToContainTextAsync("already used");
        await Expect(page).ToHaveURLAsync(new Regex("/account/login/recovery-code"));
        await page.GotoAsync("/dev/settings/api-credentials");
        await new LoginPage(page).ExpectShownAsync();
    });

    [Fact]
    public Task An_operators_first_sign_in_is_forced_to_enrol_before_the_console() => WithPageAsync(async page =>
    {
        var operatorEmail = await App.CreateOperatorAsync(Secrets.Add(OperatorPassword));

        var enrolment = await (await AdminLoginPage.OpenAsync(page)).SignInAsync(operatorEmail, OperatorPassword);
        await Expect(page.GetByText("Heron operators must sign in with an authenticator app")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "operator-two-factor-enrolment", enrolment.QrCode, enrolment.SetupKey);

        // Nothing in the console opens before enrolling.
        await page.GotoAsync("/admin/production-requests");
        await Expect(page).ToHaveURLAsync(new Regex("/admin/login"));
        await page.GoBackAsync();
        enrolment = await SecondFactorPage.ExpectShownAsync(page, "Set up two-factor sign-in");

        await enrolment.EnrolAsync(Secrets);
        await enrolment.ContinueLink.ClickAsync();
        var organizations = await AdminOrganizationsPage.ExpectShownAsync(page);
        await Expect(organizations.Badge).ToHaveTextAsync("Heron operators");
        await Mail.WaitForAsync(operatorEmail, "Two-factor sign-in is on");
    });
}
