using Microsoft.Playwright;

namespace Heron.E2E.Infrastructure;

/// <summary>
/// Screenshots land in <c>artifacts/screenshots</c> at the repository root, which CI keeps and the
/// README shows, wherever the test assembly was built.
/// </summary>
public static class Screenshots
{
    /// <summary>
    /// Masked in failure screenshots: they are kept as CI artifacts, and what was typed or shown in
    /// these places may be an API key or a password (the new-token dialog's input and its curl line).
    /// </summary>
    public const string SecretSelector = "input, #curl-example";

    /// <summary>Masked areas are blacked out.</summary>
    public const string MaskColor = "#000000";

    public static string Directory { get; } = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");

    public static async Task<string> SaveAsync(IPage page, string name, params ILocator[] mask)
    {
        var path = Path.Combine(Directory, $"{name}.png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true, Mask = mask, MaskColor = MaskColor });
        return path;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Heron.sln")))
            {
                return directory.FullName;
            }
        }
        // Run from a copied test assembly: keep the screenshots beside it.
        return AppContext.BaseDirectory;
    }
}
