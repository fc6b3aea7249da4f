using Heron.E2E.Infrastructure;
using Heron.E2E.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;
using Xunit.Sdk;
using static Microsoft.Playwright.Assertions;

namespace Heron.E2E.Journeys;

/// <summary>
/// The pages as people who do not use a mouse, or who use a screen reader, use them (issue 11, point 7).
/// Every page any browser test visits is also scanned by axe-core (<see cref="AccessibilityScanner"/>).
/// </summary>
public sealed class AccessibilityJourneys(MailAppFixture app, BrowserFixture browser, ITestOutputHelper output)
    : MailBrowserTest(app, browser, output)
{
    private const string Password = "keyboard only passphrase";
    private const string OperatorPassword = "an operator's keyboard passphrase";

    [Fact]
    public Task With_the_keyboard_alone_a_user_signs_in_creates_a_key_copies_its_token_and_closes_the_dialog() => WithPageAsync(async page =>
    {
        var account = await App.AccountAsync(Secrets.Add(Password));
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);

        var login = await LoginPage.OpenAsync(page);
        await Expect(login.Email).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(account.Email);
        await page.Keyboard.PressAsync("Tab");
        await Expect(login.Password).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(Password);
        await page.Keyboard.PressAsync("Enter");
        var credentials = await ApiCredentialsPage.ExpectShownAsync(page, "dev");

        // From the top of the page, through the header's links, to the new key's name.
        await TabUntilFocusedAsync(page, credentials.KeyName, "the new key's name field", maxPresses: 15);
        await page.Keyboard.TypeAsync("Keyboard service");
        await page.Keyboard.PressAsync("Enter");

        // Focus moves into the dialog, onto the token.
        var dialog = await credentials.TokenDialog.ExpectOpenAsync();
        await Expect(dialog.Token).ToBeFocusedAsync();
        var token = Secrets.Add(await dialog.ReadTokenAsync());

        await page.Keyboard.PressAsync("Tab");
        await Expect(dialog.CopyButton).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(dialog.CopyButton).ToHaveTextAsync("Copied");
        await Expect(dialog.CopyStatus).ToHaveTextAsync("The token is on your clipboard.");
        TestSecrets.AssertPresent(token, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"), "the clipboard");

        // The curl line is wider than the dialog: it takes focus, so it can be scrolled with the arrow keys.
        await page.Keyboard.PressAsync("Tab");
        await Expect(dialog.CurlExample).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(dialog.CloseButton).ToBeFocusedAsync();

        // Escape closes it; the list is reloaded with the key, and focus is back on what opened the dialog.
        await page.Keyboard.PressAsync("Escape");
        await Expect(credentials.Row("Keyboard service").Locator).ToBeVisibleAsync();
        await Expect(credentials.TokenDialog.Dialog).ToBeHiddenAsync();
        await Expect(credentials.KeyName).ToBeFocusedAsync();
        Assert.Equal(200, (await Api.HelloAuthenticatedAsync(token)).Status);
    });

    [Fact]
    public Task Pressing_a_fields_label_focuses_the_field_on_every_sign_in_form() => WithPageAsync(async page =>
    {
        var login = await LoginPage.OpenAsync(page);
        await login.Form.GetByText("Password", new() { Exact = true }).ClickAsync();
        await Expect(login.Password).ToBeFocusedAsync();
        await login.Form.GetByText("Email", new() { Exact = true }).ClickAsync();
        await Expect(login.Email).ToBeFocusedAsync();
        await login.Form.GetByText("Production", new() { Exact = true }).ClickAsync();
        await Expect(login.Production).ToBeCheckedAsync();

        var forgot = await login.ForgotPasswordAsync();
        await forgot.Form.GetByText("Email", new() { Exact = true }).ClickAsync();
        await Expect(forgot.Email).ToBeFocusedAsync();

        var admin = await AdminLoginPage.OpenAsync(page);
        await admin.Form.GetByText("Password", new() { Exact = true }).ClickAsync();
        await Expect(admin.Password).ToBeFocusedAsync();
    });

    [Fact]
    public Task The_operators_console_in_its_error_and_search_states_passes_the_scan() => WithPageAsync(async page =>
    {
        var operatorEmail = await App.CreateOperatorAsync(Secrets.Add(OperatorPassword));
        var slug = await App.OnboardAsync();

        var adminLogin = await AdminLoginPage.OpenAsync(page);
        await adminLogin.Email.FillAsync(operatorEmail);
        await adminLogin.Password.FillAsync("not the operator's password");
        await page.SubmitAsync(() => adminLogin.SignInButton.ClickAsync());
        await Expect(adminLogin.Form).ToContainTextAsync("Wrong email or password");
        var organizations = await adminLogin.SignInFirstTimeAsync(operatorEmail, OperatorPassword, Secrets);

        await organizations.SearchAsync(slug);
        await Expect(organizations.Rows).ToHaveCountAsync(1);
        await Expect(organizations.Rows.First).ToContainTextAsync(slug);

        var onboarding = await organizations.OnboardAsync();
        await page.SubmitAsync(() => onboarding.OnboardButton.ClickAsync());
        await Expect(onboarding.Form.Locator(".errors")).Not.ToBeEmptyAsync();
        await Expect(onboarding.Name).ToBeVisibleAsync();
    });

    /// <summary>The scanner itself: a page with an unlabelled field fails the test, saying what, where and how to fix it.</summary>
    [Fact]
    public async Task A_violation_fails_the_test_with_its_rule_impact_selector_and_help()
    {
        var failure = await Assert.ThrowsAsync<FailException>(() => Browser.WithPageAsync(App.ServerAddress, Output,
            nameof(A_violation_fails_the_test_with_its_rule_impact_selector_and_help), async page =>
            {
                await HomePage.OpenAsync(page);
                await page.EvaluateAsync("() => document.querySelector('main').insertAdjacentHTML('beforeend', '<input id=\"unlabelled\">')");
                await AccessibilityScanner.ScanAsync(page, "with an unlabelled field");
            }));

        Output.WriteLine(failure.Message);
        Assert.Contains("/ (with an unlabelled field)", failure.Message);
        Assert.Contains("label (critical): Form elements must have labels https://dequeuniversity.com/rules/axe/", failure.Message);
        Assert.Contains("#unlabelled", failure.Message);
    }

    /// <summary>Presses Tab until <paramref name="target"/> has focus, failing with where focus went if it never does.</summary>
    private static async Task TabUntilFocusedAsync(IPage page, ILocator target, string what, int maxPresses)
    {
        var visited = new List<string>();
        for (var presses = 0; presses < maxPresses; presses++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await target.EvaluateAsync<bool>("element => element === document.activeElement"))
            {
                return;
            }
            visited.Add(await page.EvaluateAsync<string>(
                "() => { const e = document.activeElement; return `${e.tagName.toLowerCase()} \"${(e.innerText || e.getAttribute('aria-label') || e.name || '').trim()}\"`; }"));
        }
        Assert.Fail($"{maxPresses} presses of Tab never reached {what}; focus went to: {string.Join(", ", visited)}");
    }
}
