using Heron.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Heron.E2E.Pages;

/// <summary>Dashboard sign-in, <c>/account/login</c>: an environment choice, email and password.</summary>
public sealed class LoginPage(IPage page)
{
    public const string Path = "/account/login";

    public static async Task<LoginPage> OpenAsync(IPage page, string? environment = null)
    {
        var response = await page.GotoAsync(environment is null ? Path : $"{Path}?environment={environment}");
        Assert.Equal(200, response?.Status);
        await AccessibilityScanner.ScanShownAsync(page);
        return new LoginPage(page);
    }

    public IPage Page => page;
    public ILocator Title => page.GetByRole(AriaRole.Heading, new() { Level = 1 });
    public ILocator Form => page.GetByRole(AriaRole.Form, new() { Name = "Sign in to Heron" });
    public ILocator Development => Form.GetByRole(AriaRole.Radio, new() { Name = "Development" });
    public ILocator Production => Form.GetByRole(AriaRole.Radio, new() { Name = "Production" });
    public ILocator Email => Form.GetByLabel("Email", new() { Exact = true });
    public ILocator Password => Form.GetByLabel("Password", new() { Exact = true });
    public ILocator SignInButton => Form.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true });
    /// <summary>The form's error summary: nothing visible names it, so by id.</summary>
    public ILocator Errors => page.Locator("#login-errors");
    public ILocator StatusMessage => page.Locator("#status-message");
    public ILocator ForgotPasswordLink => Form.GetByRole(AriaRole.Link, new() { Name = "Forgot password?" });

    /// <summary>Waits until the browser shows the sign-in page, e.g. after a redirect.</summary>
    public async Task<LoginPage> ExpectShownAsync()
    {
        await Expect(Form).ToBeVisibleAsync();
        await AccessibilityScanner.ScanShownAsync(page);
        return this;
    }

    /// <summary>Chooses the environment ("dev" or "prod"), types the credentials and presses Sign in.</summary>
    public async Task SignInAsync(string email, string password, string environment = "dev")
    {
        await (environment == "prod" ? Production : Development).CheckAsync();
        await Email.FillAsync(email);
        await Password.FillAsync(password);
        await page.SubmitAsync(() => SignInButton.ClickAsync());
    }

    /// <summary>Signs in and waits for the realm's API Credentials page.</summary>
    public async Task<ApiCredentialsPage> SignInToDashboardAsync(string email, string password, string environment = "dev")
    {
        await SignInAsync(email, password, environment);
        return await ApiCredentialsPage.ExpectShownAsync(page, environment);
    }

    public async Task<ForgotPasswordPage> ForgotPasswordAsync()
    {
        await ForgotPasswordLink.ClickAsync();
        return await new ForgotPasswordPage(page).ExpectShownAsync();
    }
}
