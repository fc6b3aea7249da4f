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
        return new LoginPage(page);
    }

    public IPage Page => page;
    public ILocator Title => page.Locator("#page-title");
    public ILocator Form => page.Locator("#login-form");
    public ILocator Development => page.Locator("#environment-dev");
    public ILocator Production => page.Locator("#environment-prod");
    public ILocator Email => page.Locator("#email");
    public ILocator Password => page.Locator("#password");
    public ILocator SignInButton => page.Locator("#sign-in");
    public ILocator Errors => page.Locator("#login-errors");
    public ILocator StatusMessage => page.Locator("#status-message");
    public ILocator ForgotPasswordLink => page.Locator("#forgot-password");

    /// <summary>Waits until the browser shows the sign-in page, e.g. after a redirect.</summary>
    public async Task<LoginPage> ExpectShownAsync()
    {
        await Expect(Form).ToBeVisibleAsync();
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
