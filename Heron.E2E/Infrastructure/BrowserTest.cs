using System.Runtime.CompilerServices;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Heron.E2E.Infrastructure;

/// <summary>Base of a browser test: the running app, and a fresh page per test.</summary>
[Collection(E2ECollection.Name)]
public abstract class BrowserTest(AppFixture app, BrowserFixture browser, ITestOutputHelper output)
{
    protected AppFixture App { get; } = app;

    protected Task WithPageAsync(Func<IPage, Task> steps, [CallerMemberName] string testName = "") =>
        browser.WithPageAsync(App.ServerAddress, output, $"{GetType().Name}.{testName}", steps);
}
