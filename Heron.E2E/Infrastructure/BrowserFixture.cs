using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Heron.E2E.Infrastructure;

/// <summary>One Chromium per test collection; every test gets a browser context (cookies, storage) of its own.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPathVariable = "HERON_CHROMIUM_PATH";
    private const string DebianChromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            Headless = true,
            ExecutablePath = ChromiumPath(),
            // No sandbox because CI runs as root; the rest keeps Chromium from reaching out to Google's services.
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run",
            ],
        });
    }

    /// <summary>
    /// Runs <paramref name="steps"/> on a fresh page whose base URL is <paramref name="baseAddress"/>. Browser
    /// console messages go to the test output; on failure a screenshot is saved before the exception goes on.
    /// </summary>
    public async Task WithPageAsync(Uri baseAddress, ITestOutputHelper output, string testName, Func<IPage, Task> steps)
    {
        var browser = _browser ?? throw new InvalidOperationException("The browser has not been launched.");
        await using var context = await browser.NewContextAsync(new() { BaseURL = baseAddress.ToString() });
        var page = await context.NewPageAsync();
        page.Console += (_, message) => Write(output, $"[browser {message.Type}] {message.Text}");
        page.PageError += (_, error) => Write(output, $"[browser error] {error}");

        try
        {
            await steps(page);
        }
        catch
        {
            await SaveFailureScreenshotAsync(page, output, testName);
            throw;
        }
    }

    private static async Task SaveFailureScreenshotAsync(IPage page, ITestOutputHelper output, string testName)
    {
        try
        {
            var path = await Screenshots.SaveAsync(page, $"failed-{testName}", page.Locator(Screenshots.SecretSelector));
            output.WriteLine($"Screenshot of the failure: {path}");
        }
        catch (PlaywrightException ex)
        {
            // The test's own failure is the one to report; a page too broken to photograph is only noted.
            output.WriteLine($"No screenshot of the failure: {ex.Message}");
        }
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }

    /// <summary>
    /// Playwright cannot download its own browsers everywhere, so Debian's Chromium is used when present;
    /// elsewhere (null) Playwright's own build is.
    /// </summary>
    private static string? ChromiumPath()
    {
        var configured = Environment.GetEnvironmentVariable(ChromiumPathVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }
        return File.Exists(DebianChromium) ? DebianChromium : null;
    }

    private static void Write(ITestOutputHelper output, string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // An event delivered after its test finished has no output to go to.
        }
    }
}
