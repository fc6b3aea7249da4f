using Microsoft.Playwright;

namespace Heron.E2E.Pages;

/// <summary>What every signed-in dashboard page shows (Shared/_Layout.cshtml): organization, environment, switcher, navigation.</summary>
public abstract class DashboardPage(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator Title => Page.GetByRole(AriaRole.Heading, new() { Level = 1 });
    // The organization, the badge, the banner and the status message are text that names nothing: by id.
    public ILocator OrganizationName => Page.Locator("#organization-name");
    public ILocator EnvironmentBadge => Page.Locator("#environment-badge");
    public ILocator EnvironmentBanner => Page.Locator("#environment-banner");
    public ILocator Body => Page.Locator("body");
    public ILocator StatusMessage => Page.Locator("#status-message");
    public ILocator Banner => Page.GetByRole(AriaRole.Banner);
    public ILocator SwitchToProduction => Banner.GetByRole(AriaRole.Link, new() { Name = "Switch to Production" });
    public ILocator SwitchToDevelopment => Banner.GetByRole(AriaRole.Link, new() { Name = "Switch to Development" });
    public ILocator ProductionAccessLink => Banner.GetByRole(AriaRole.Link, new() { Name = "Production access" });
    public ILocator SignOutButton => Banner.GetByRole(AriaRole.Button, new() { Name = "Sign out" });

    public async Task SignOutAsync() => await SignOutButton.ClickAsync();
}
