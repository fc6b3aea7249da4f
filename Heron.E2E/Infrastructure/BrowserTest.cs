using System.Runtime.CompilerServices;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Heron.E2E.Infrastructure;

/// <summary>
/// Base of a browser test: the running app, fresh browsers per test, and the test's secrets, which are
/// redacted from anything the test reports (its output and its failure).
/// </summary>
public abstract class BrowserTestBase<TApp> where TApp : AppFixture
{
    private readonly BrowserFixture _browser;

    protected BrowserTestBase(TApp app, BrowserFixture browser, ITestOutputHelper output)
    {
        App = app;
        _browser = browser;
        Output = new RedactingOutput(output, Secrets);
    }

    protected TApp App { get; }

    /// <summary>The shared browser, for a test that checks what the infrastructure itself does with a failure.</summary>
    protected BrowserFixture Browser => _browser;

    /// <summary>Tokens, passwords and emailed links this test handles; register each as soon as it is known.</summary>
    protected TestSecrets Secrets { get; } = new();

    /// <summary>The test's output; whatever is written to it has the test's secrets redacted.</summary>
    protected ITestOutputHelper Output { get; }

    protected Task WithPageAsync(Func<IPage, Task> steps, [CallerMemberName] string testName = "") =>
        RedactingAsync(() => _browser.WithPageAsync(App.ServerAddress, Output, $"{GetType().Name}.{testName}", steps, Secrets));

    /// <summary>For journeys of several people or machines: each <see cref="TestBrowsers.OpenAsync"/> is a browser of its own.</summary>
    protected Task WithBrowsersAsync(Func<TestBrowsers, Task> steps, [CallerMemberName] string testName = "") =>
        RedactingAsync(() => _browser.WithBrowsersAsync(App.ServerAddress, Output, $"{GetType().Name}.{testName}", steps, Secrets));

    /// <summary>A failure whose text holds a secret (a Playwright message quoting an input or a URL, say) is reported redacted.</summary>
    private async Task RedactingAsync(Func<Task> run)
    {
        try
        {
            await run();
        }
        catch (Exception ex) when (Secrets.AnyIn(ex.ToString()))
        {
            throw new RedactedFailureException(Secrets.Redact(ex.ToString()));
        }
    }

    private sealed class RedactingOutput(ITestOutputHelper inner, TestSecrets secrets) : ITestOutputHelper
    {
        public void WriteLine(string message) => inner.WriteLine(secrets.Redact(message));

        public void WriteLine(string format, params object[] args) => WriteLine(string.Format(format, args));
    }
}

/// <summary>A browser test against the app without mail delivery.</summary>
[Collection(E2ECollection.Name)]
public abstract class BrowserTest(AppFixture app, BrowserFixture browser, ITestOutputHelper output)
    : BrowserTestBase<AppFixture>(app, browser, output);
