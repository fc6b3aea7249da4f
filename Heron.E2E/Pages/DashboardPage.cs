using Microsoft.Playwright;

namespace Heron.E2E.Pages;

/// <summary>What every signed-in dashboard page shows (Shared/_Layout.cshtml): organization, environment, switcher, navigation.</summary>
public abstract class DashboardPage(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator Title => Page.Locator("#page-title");
    public ILocator OrganizationName => Page.Locator("#organization-name");
    public ILocator EnvironmentBadge => Page.Locator("#environment-badge");
    public ILocator EnvironmentBanner => Page.Locator("#environment-banner");
    public ILocator Body => Page.Locator("body");
    public ILocator StatusMessage => Page.Locator("#status-message");
    public ILocator SwitchToProduction => Page.Locator("#switch-to-prod");
    public ILocator SwitchToDevelopment => Page.Locator("#switch-to-dev");
    public ILocator ProductionAccessLink => Page.Locator("#nav-production");
    public ILocator SignOutButton => Page.Locator("#sign-out");

    public async Task SignOutAsync() => await SignOutButton.ClickAsync();
}
