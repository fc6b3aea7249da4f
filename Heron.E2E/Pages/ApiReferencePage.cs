using Heron.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Heron.E2E.Pages;

/// <summary>The API reference, <c>/docs/api</c>: Swagger UI rendering the app's OpenAPI document.</summary>
public sealed class ApiReferencePage(IPage page)
{
    public const string Path = "/docs/api";

    public static async Task<ApiReferencePage> OpenAsync(IPage page)
    {
        var response = await page.GotoAsync(Path);
        Assert.Equal(200, response?.Status);
        return await ExpectRenderedAsync(page);
    }

    /// <summary>
    /// Waits until Swagger UI has drawn the operations (after its page has loaded, so the scan on load
    /// may see an empty page) and scans what it drew.
    /// </summary>
    public static async Task<ApiReferencePage> ExpectRenderedAsync(IPage page)
    {
        var reference = new ApiReferencePage(page);
        await Expect(reference.Title).ToBeVisibleAsync();
        await Expect(page.Locator(".opblock").First).ToBeVisibleAsync();
        await AccessibilityScanner.ScanAsync(page, "rendered");
        return reference;
    }

    public ILocator Title => page.Locator(".information-container .title");

    /// <summary>An operation's block, e.g. <c>Operation("get", "/api/credentials/keys")</c>.</summary>
    public ILocator Operation(string method, string path) =>
        page.Locator($".opblock-{method}:has(.opblock-summary-path[data-path='{path}'])");

    /// <summary>The padlock Swagger UI shows on an operation that needs credentials.</summary>
    public ILocator Padlock(ILocator operation) => operation.Locator("button.authorization__btn");

    public ILocator AuthorizeButton => page.GetByRole(AriaRole.Button, new() { Name = "Authorize", Exact = true });

    public ILocator AuthorizeDialog => page.GetByRole(AriaRole.Dialog, new() { Name = "Available authorizations" });

    public ILocator ApiKeyInput => AuthorizeDialog.GetByLabel("Value");

    public async Task OpenAuthorizeDialogAsync()
    {
        await AuthorizeButton.ClickAsync();
        await Expect(AuthorizeDialog).ToBeVisibleAsync();
        await AccessibilityScanner.ScanAsync(page, "the Authorize dialog");
    }

    /// <summary>Enters a key in the Authorize dialog and closes it, as a reader trying the API would.</summary>
    public async Task AuthorizeAsync(string token)
    {
        await OpenAuthorizeDialogAsync();
        await ApiKeyInput.FillAsync(token);
        await AuthorizeDialog.GetByRole(AriaRole.Button, new() { Name = "Authorize", Exact = true }).ClickAsync();
        await Expect(AuthorizeDialog.GetByRole(AriaRole.Button, new() { Name = "Logout" })).ToBeVisibleAsync();
        await AccessibilityScanner.ScanAsync(page, "the Authorize dialog, authorized");
        await CloseAuthorizeDialogAsync();
    }

    public async Task CloseAuthorizeDialogAsync()
    {
        await AuthorizeDialog.GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true }).ClickAsync();
        await Expect(AuthorizeDialog).ToBeHiddenAsync();
    }

    /// <summary>Swagger UI's own dark mode, which a reader can switch to: scanned as well.</summary>
    public async Task SwitchToDarkModeAsync()
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark mode" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Switch to light mode" })).ToBeVisibleAsync();
        await AccessibilityScanner.ScanAsync(page, "dark mode");
    }

    /// <summary>Expands an operation, presses "Try it out" then "Execute"; returns the live response's block.</summary>
    public async Task<ILocator> TryItOutAsync(ILocator operation)
    {
        await operation.Locator(".opblock-summary").ClickAsync();
        await operation.GetByRole(AriaRole.Button, new() { Name = "Try it out" }).ClickAsync();
        await AccessibilityScanner.ScanAsync(page, "an operation expanded");
        await operation.GetByRole(AriaRole.Button, new() { Name = "Execute" }).ClickAsync();
        var response = operation.Locator(".live-responses-table .response");
        await Expect(response).ToBeVisibleAsync();
        await AccessibilityScanner.ScanAsync(page, "a live response");
        return response;
    }
}
