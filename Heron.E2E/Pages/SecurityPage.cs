using System.Text.RegularExpressions;
using Heron.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Heron.E2E.Pages;

/// <summary>Settings → Security, <c>/{dev|prod}/settings/security</c>: where the account is signed in, each session can be ended.</summary>
public sealed class SecurityPage(IPage page) : DashboardPage(page)
{
    public static string PathFor(string environment) => $"/{environment}/settings/security";

    /// <summary>Opens the page from the dashboard's navigation, as a person does.</summary>
    public static async Task<SecurityPage> OpenFromNavigationAsync(IPage page, string environment = "dev")
    {
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Security", Exact = true }).ClickAsync();
        return await ExpectShownAsync(page, environment);
    }

    public static async Task<SecurityPage> ExpectShownAsync(IPage page, string environment)
    {
        await Expect(page).ToHaveURLAsync(new Regex($"{Regex.Escape(PathFor(environment))}$"));
        var security = new SecurityPage(page);
        await Expect(security.Title).ToHaveTextAsync("Security");
        await AccessibilityScanner.ScanShownAsync(page);
        return security;
    }

    /// <summary>The sessions' rows, without the header row.</summary>
    public ILocator Rows => Page.GetByRole(AriaRole.Table, new() { Name = "Sessions", Exact = true }).GetByRole(AriaRole.Row).Filter(new() { Has = Page.GetByRole(AriaRole.Cell) });

    /// <summary>The rows marked as this browser's session.</summary>
    public ILocator CurrentSessions => Rows.Filter(new() { Has = Page.GetByText("This browser", new() { Exact = true }) });

    public ILocator SignOutOtherSessionsButton =>
        Page.GetByRole(AriaRole.Button, new() { Name = "Sign out all other sessions", Exact = true });

    /// <summary>The row whose browser cell names <paramref name="browser"/> ("Chrome on Linux").</summary>
    public SessionRow Row(string browser) =>
        new(Rows.Filter(new() { Has = Page.GetByRole(AriaRole.Cell, new() { NameRegex = new Regex($"^{Regex.Escape(browser)}\\b") }) }));

    /// <summary>Presses "Sign out all other sessions" and waits for the page that answers it.</summary>
    public async Task SignOutOtherSessionsAsync() => await Page.SubmitAsync(() => SignOutOtherSessionsButton.ClickAsync());
}

/// <summary>One session on the Security page: browser, address, when it signed in and was last seen.</summary>
public sealed class SessionRow(ILocator row)
{
    public ILocator Locator => row;
    public ILocator Browser => row.GetByRole(AriaRole.Cell).Nth(0);
    public ILocator Address => row.GetByRole(AriaRole.Cell).Nth(1);
    /// <summary>The "This browser" badge, on the session of the browser looking at the page.</summary>
    public ILocator ThisBrowserBadge => Browser.GetByText("This browser", new() { Exact = true });
    /// <summary>The row's own "Sign out", named for its browser and address ("Sign out Chrome on Linux (this browser)").</summary>
    public ILocator SignOutButton => row.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Sign out ") });
}
