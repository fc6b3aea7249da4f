using Heron.E2E.Infrastructure;
using Microsoft.Playwright;

namespace Heron.E2E.Pages;

/// <summary>The landing page, <c>/</c>.</summary>
public sealed class HomePage(IPage page)
{
    public static async Task<HomePage> OpenAsync(IPage page)
    {
        var response = await page.GotoAsync("/");
        Assert.Equal(200, response?.Status);
        await AccessibilityScanner.ScanShownAsync(page);
        return new HomePage(page);
    }

    public ILocator Title => page.GetByRole(AriaRole.Heading, new() { Level = 1 });

    public ILocator CurlExample => page.Locator("main pre code", new() { HasText = "curl" });

    public async Task<ApiReferencePage> OpenApiReferenceAsync()
    {
        // The header links to it too; this is the link in the page's text.
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "API reference" }).ClickAsync();
        return await ApiReferencePage.ExpectRenderedAsync(page);
    }
}
