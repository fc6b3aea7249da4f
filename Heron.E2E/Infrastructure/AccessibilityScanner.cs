using System.Runtime.CompilerServices;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Heron.E2E.Infrastructure;

/// <summary>
/// Runs axe-core's WCAG 2.1 A and AA rules on every document a test's browser shows. Each document is
/// scanned once it has loaded, and page objects wait for that scan where they see their page shown
/// (<see cref="ScanShownAsync"/>), so the pages they reach are scanned however quickly the test moves on;
/// what appears without a navigation (a dialog) is scanned where it opens (<see cref="ScanAsync"/>). When
/// the test's steps end, <see cref="AssertNoViolationsAsync"/> fails on any violation, and on any page
/// visited that no scan finished on (left before its scan was done, with no page object waiting for it),
/// so a new page cannot slip through unscanned.
/// </summary>
public sealed class AccessibilityScanner
{
    /// <summary>WCAG 2.0 and 2.1, levels A and AA: what Heron promises its pages meet.</summary>
    public static readonly IReadOnlyList<string> Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    private static readonly ConditionalWeakTable<IPage, AccessibilityScanner> Scanners = new();

    private readonly IPage _page;
    private readonly Lock _lock = new();
    // axe refuses to start while it is already running in the page: one scan at a time.
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly List<Task> _scans = [];
    private readonly List<AccessibilityFinding> _findings = [];
    private readonly HashSet<string> _visited = [];
    private readonly HashSet<string> _scanned = [];
    private Task<PlaywrightException?>? _currentDocument;

    private AccessibilityScanner(IPage page) => _page = page;

    /// <summary>Scans every document <paramref name="page"/> shows from now on.</summary>
    public static void Attach(IPage page)
    {
        var scanner = new AccessibilityScanner(page);
        Scanners.Add(page, scanner);
        page.FrameNavigated += (_, frame) =>
        {
            if (frame == page.MainFrame && HeronPath(frame.Url) is { } path)
            {
                lock (scanner._lock)
                {
                    scanner._currentDocument = null;
                    scanner._visited.Add(path);
                }
            }
        };
        page.Load += (_, _) => scanner.ScanCurrentDocument();
    }

    /// <summary>
    /// Waits for the scan of the document <paramref name="page"/> shows (starting it if its load has not yet),
    /// for a page object that sees its page shown.
    /// </summary>
    public static async Task ScanShownAsync(IPage page)
    {
        if (await For(page).ScanCurrentDocument() is { } failure)
        {
            throw new InvalidOperationException($"The accessibility scan of {HeronPath(page.Url)} did not finish.", failure);
        }
    }

    /// <summary>
    /// Scans what <paramref name="page"/> shows now, named <paramref name="state"/> in a report ("the token
    /// dialog"): for what appears without a navigation.
    /// </summary>
    public static async Task ScanAsync(IPage page, string state)
    {
        if (await For(page).StartScan(state) is { } failure)
        {
            throw new InvalidOperationException($"The accessibility scan of {HeronPath(page.Url)} ({state}) did not finish.", failure);
        }
    }

    /// <summary>Waits for every scan of <paramref name="pages"/> and fails, listing each violation, if there was any.</summary>
    public static async Task AssertNoViolationsAsync(IEnumerable<IPage> pages)
    {
        var findings = new List<AccessibilityFinding>();
        foreach (var page in pages)
        {
            findings.AddRange(await For(page).FindingsAsync());
        }
        if (findings.Count > 0)
        {
            Assert.Fail(AccessibilityFinding.Describe(findings));
        }
    }

    private static AccessibilityScanner For(IPage page) =>
        Scanners.TryGetValue(page, out var scanner)
            ? scanner
            : throw new InvalidOperationException("This page was not opened through TestBrowsers, so nothing scans it.");

    /// <summary>The path of one of the app's pages; null for about:blank before the first navigation. Never the query: it may hold an emailed link's token.</summary>
    private static string? HeronPath(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var address) && address.Scheme is "http" or "https" ? address.AbsolutePath : null;

    /// <summary>The scan of the document on screen, started once: at its load or when a page object asks, whichever is first.</summary>
    private Task<PlaywrightException?> ScanCurrentDocument()
    {
        lock (_lock)
        {
            return _currentDocument ??= StartScan("");
        }
    }

    private Task<PlaywrightException?> StartScan(string state)
    {
        if (HeronPath(_page.Url) is not { } path)
        {
            return Task.FromResult<PlaywrightException?>(null);
        }
        var scan = RunAsync(path, state);
        lock (_lock)
        {
            _scans.Add(scan);
        }
        return scan;
    }

    /// <summary>Scans the page; answers the failure if the page went away (or was closed) before axe finished.</summary>
    private async Task<PlaywrightException?> RunAsync(string path, string state)
    {
        var options = new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. Tags] },
        };
        var where = state.Length == 0 ? path : $"{path} ({state})";
        await _oneAtATime.WaitAsync();
        try
        {
            // Legacy mode runs axe in the page itself; the default opens a page of its own to finish every run.
#pragma warning disable CS0618
            var result = await _page.Locator("html").RunAxeLegacy(options);
#pragma warning restore CS0618
            lock (_lock)
            {
                _scanned.Add(path);
                _findings.AddRange(result.Violations.SelectMany(violation => violation.Nodes.Select(node =>
                    new AccessibilityFinding(where, violation.Id, violation.Impact, violation.Help, violation.HelpUrl,
                        node.Target?.ToString() ?? "(no selector)"))));
            }
            return null;
        }
        catch (PlaywrightException ex)
        {
            // The test moved on (or closed the browser) before axe finished: the document is gone. Whether its
            // page was scanned some other time is checked at the end.
            return ex;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async Task<IReadOnlyList<AccessibilityFinding>> FindingsAsync()
    {
        while (true)
        {
            Task[] pending;
            lock (_lock)
            {
                pending = _scans.Where(scan => !scan.IsCompleted).ToArray();
            }
            if (pending.Length == 0)
            {
                break;
            }
            await Task.WhenAll(pending);
        }
        lock (_lock)
        {
            var unscanned = _visited.Except(_scanned).Order().Select(path => new AccessibilityFinding(path, "not-scanned", "",
                "the test left this page before its scan finished; wait for it where the page is shown (AccessibilityScanner.ScanShownAsync in its page object)",
                "", ""));
            return _findings.Distinct().Concat(unscanned).ToList();
        }
    }
}

/// <summary>One element breaking one axe rule on one page (or one state of it).</summary>
public sealed record AccessibilityFinding(string Where, string Rule, string Impact, string Help, string HelpUrl, string Target)
{
    public static string Describe(IReadOnlyList<AccessibilityFinding> findings)
    {
        var lines = new List<string> { $"axe-core found {findings.Count} WCAG 2.1 A/AA violation(s):" };
        foreach (var page in findings.GroupBy(f => f.Where))
        {
            lines.Add($"  {page.Key}");
            foreach (var rule in page.GroupBy(f => (f.Rule, f.Impact, f.Help, f.HelpUrl)))
            {
                var impact = rule.Key.Impact.Length == 0 ? "" : $" ({rule.Key.Impact})";
                lines.Add($"    {rule.Key.Rule}{impact}: {rule.Key.Help} {rule.Key.HelpUrl}".TrimEnd());
                lines.AddRange(rule.Where(f => f.Target.Length > 0).Select(f => $"      {f.Target}"));
            }
        }
        return string.Join(Environment.NewLine, lines);
    }
}
