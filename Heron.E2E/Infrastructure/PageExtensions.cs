using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Heron.E2E.Infrastructure;

public static class PageExtensions
{
    private const string Marker = "data-e2e-previous-document";

    /// <summary>
    /// Runs <paramref name="submit"/> (a click that posts a form) and waits until the browser shows the
    /// document that answered it, even when that is at the same URL (a sign-in that failed, say), so what
    /// is checked next is the answer and not the page the form was on.
    /// </summary>
    public static async Task SubmitAsync(this IPage page, Func<Task> submit)
    {
        await page.EvaluateAsync($"() => document.documentElement.setAttribute('{Marker}', '')");
        await submit();
        await Expect(page.Locator($"html[{Marker}]")).ToHaveCountAsync(0);
        await AccessibilityScanner.ScanShownAsync(page);
    }

    /// <summary>
    /// Reloads <paramref name="page"/> until <paramref name="condition"/> holds, for what the app updates in
    /// the background (buffered counters, say), failing with <paramref name="because"/> after the deadline.
    /// </summary>
    public static async Task ReloadUntilAsync(this IPage page, Func<Task<bool>> condition, string because, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? BrowserFixture.ExpectTimeout);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Still not true after reloading for {(timeout ?? BrowserFixture.ExpectTimeout).TotalSeconds:0} s: {because}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            await page.ReloadAsync();
        }
    }
}
