using System.Text.RegularExpressions;
using Heron.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Heron.E2E.Pages;

/// <summary>One key's own page, <c>/{dev|prod}/settings/api-key/{heronId}</c>: its limits and its usage.</summary>
public sealed class ApiKeyPage(IPage page) : DashboardPage(page)
{
    /// <summary>Waits until the browser shows the page of the key named <paramref name="name"/>.</summary>
    public static async Task<ApiKeyPage> ExpectShownAsync(IPage page, string name)
    {
        await Expect(page).ToHaveURLAsync(new Regex("/(dev|prod)/settings/api-key/[^/?]+$"));
        var key = new ApiKeyPage(page);
        await Expect(key.Title).ToHaveTextAsync($"API key “{name}”");
        await AccessibilityScanner.ScanShownAsync(page);
        return key;
    }

    // The facts are text that names nothing: by id, as the layout's are.
    public ILocator Status => Page.Locator("#key-status");
    public ILocator Expires => Page.Locator("#key-expires");
    public ILocator Scopes => Page.Locator("#key-scopes");
    public ILocator AllowedAddresses => Page.Locator("#key-addresses");
    public ILocator BackToCredentials => Page.GetByRole(AriaRole.Link, new() { Name = "← API Credentials" });

    public UsageSection LastHour => new(Page, "Last hour, per minute");
    public UsageSection LastWeek => new(Page, "Last 7 days, per hour");
}

/// <summary>One of a key's usage charts, with the numbers as a table (folded away until asked for).</summary>
public sealed class UsageSection(IPage page, string title)
{
    public ILocator Region => page.GetByRole(AriaRole.Region, new() { Name = title, Exact = true });
    /// <summary>The chart; its name sums it up: "Last hour, per minute: 2 accepted, 1 rejected".</summary>
    public ILocator Chart => Region.GetByRole(AriaRole.Img, new() { NameRegex = new Regex($"^{Regex.Escape(title)}:") });
    public ILocator ShowTable => Region.GetByText("The numbers as a table", new() { Exact = true });
    public ILocator Table => Region.GetByRole(AriaRole.Table, new() { Name = $"{title}: accepted and rejected requests" });
    /// <summary>The buckets with traffic, without the header and total rows.</summary>
    public ILocator BucketRows => Table.GetByRole(AriaRole.Rowgroup).Nth(1).GetByRole(AriaRole.Row);
    public ILocator TotalRow => Table.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = "Total", Exact = true }) });
    public ILocator AcceptedTotal => TotalRow.GetByRole(AriaRole.Cell).Nth(0);
    public ILocator RejectedTotal => TotalRow.GetByRole(AriaRole.Cell).Nth(1);

    /// <summary>Unfolds the table, unless it is open already.</summary>
    public async Task OpenTableAsync()
    {
        if (!await Table.IsVisibleAsync())
        {
            await ShowTable.ClickAsync();
        }
        await Expect(Table).ToBeVisibleAsync();
    }

    /// <summary>The table's totals, accepted and rejected, for a test that waits for buffered usage to be written.</summary>
    public async Task<(string Accepted, string Rejected)> TotalsAsync()
    {
        await OpenTableAsync();
        return (await AcceptedTotal.InnerTextAsync(), await RejectedTotal.InnerTextAsync());
    }
}
