using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Heron.E2E.Infrastructure;

/// <summary>One Chromium per test collection; every test gets browser contexts (cookies, storage) of its own.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPathVariable = "HERON_CHROMIUM_PATH";
    private const string DebianChromium = "/usr/bin/chromium";

    /// <summary>
    /// How long an <c>Expect(…)</c> keeps retrying. Generous: the suite runs on small, busy CI machines, and
    /// a passing assertion returns as soon as it holds, so only a failure ever waits this long.
    /// </summary>
    public static readonly TimeSpan ExpectTimeout = TimeSpan.FromSeconds(20);

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout((float)ExpectTimeout.TotalMilliseconds);
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
    public Task WithPageAsync(Uri baseAddress, ITestOutputHelper output, string testName, Func<IPage, Task> steps,
        TestSecrets? secrets = null) =>
        WithBrowsersAsync(baseAddress, output, testName, async browsers => await steps(await browsers.OpenAsync()), secrets);

    /// <summary>
    /// Runs <paramref name="steps"/>, which may open several browsers (contexts: separate cookies and storage,
    /// as separate people or machines have). Each is closed afterwards; on failure each is photographed first.
    /// </summary>
    public async Task WithBrowsersAsync(Uri baseAddress, ITestOutputHelper output, string testName, Func<TestBrowsers, Task> steps,
        TestSecrets? secrets = null)
    {
        var browser = _browser ?? throw new InvalidOperationException("The browser has not been launched.");
        await using var browsers = new TestBrowsers(browser, baseAddress, output, secrets ?? new TestSecrets());
        try
        {
            await steps(browsers);
            await browsers.AssertAccessibleAsync();
        }
        catch
        {
            await browsers.SaveFailureScreenshotsAsync(testName);
            throw;
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
}

/// <summary>The browsers one test opened: each a context of its own (a person, a machine), closed with the test.</summary>
public sealed class TestBrowsers(IBrowser browser, Uri baseAddress, ITestOutputHelper output, TestSecrets secrets) : IAsyncDisposable
{
    private readonly List<(string Label, IBrowserContext Context, IPage Page)> _opened = [];

    /// <summary>
    /// Opens a new browser context and a page in it. <paramref name="label"/> names it in failure screenshots
    /// and console lines; <paramref name="userAgent"/> makes it a different browser as far as the app can tell.
    /// </summary>
    public async Task<IPage> OpenAsync(string label = "", string? userAgent = null)
    {
        var options = new BrowserNewContextOptions { BaseURL = baseAddress.ToString() };
        if (userAgent is not null)
        {
            options.UserAgent = userAgent;
        }
        var context = await browser.NewContextAsync(options);
        var page = await context.NewPageAsync();
        AccessibilityScanner.Attach(page);
        var prefix = label.Length == 0 ? "browser" : $"browser {label}";
        page.Console += (_, message) => Write($"[{prefix} {message.Type}] {message.Text}");
        page.PageError += (_, error) => Write($"[{prefix} error] {error}");
        _opened.Add((label, context, page));
        return page;
    }

    /// <summary>Fails if axe-core found a WCAG 2.1 A/AA violation on anything any of these browsers showed.</summary>
    internal Task AssertAccessibleAsync() => AccessibilityScanner.AssertNoViolationsAsync(_opened.Select(o => o.Page));

    internal async Task SaveFailureScreenshotsAsync(string testName)
    {
        foreach (var (label, _, page) in _opened)
        {
            var name = label.Length == 0 ? $"failed-{testName}" : $"failed-{testName}-{label}";
            try
            {
                var path = await Screenshots.SaveAsync(page, name, page.Locator(Screenshots.SecretSelector));
                Write($"Screenshot of the failure: {path}");
            }
            catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
            {
                // The test's own failure is the one to report; a page too broken to photograph is only noted.
                Write($"No screenshot of the failure: {ex.Message}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, context, _) in _opened)
        {
            await context.DisposeAsync();
        }
        _opened.Clear();
    }

    private void Write(string line)
    {
        try
        {
            output.WriteLine(secrets.Redact(line));
        }
        catch (InvalidOperationException)
        {
            // An event delivered after its test finished has no output to go to.
        }
    }
}
