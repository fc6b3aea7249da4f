using Microsoft.Playwright;

namespace Heron.E2E.Pages;

/// <summary>The landing page, <c>/</c>.</summary>
public sealed class HomePage(IPage page)
{
    public static async Task<HomePage> OpenAsync(IPage page)
    {
        var response = await page.GotoAsync("/");
        Assert.Equal(200, response?.Status);
        return new HomePage(page);
    }

    public ILocator Title => page.Locator("#page-title");

    public ILocator CurlExample => page.Locator("main pre code", new() { HasText = "curl" });

    public async Task<ApiReferencePage> OpenApiReferenceAsync()
    {
        await page.Locator("#api-reference-link").ClickAsync();
        return new ApiReferencePage(page);
    }
}
