using System.Diagnostics;
using System.Text.RegularExpressions;
using Heron.Web.Logging;

namespace Heron.Web.Tests.Cli;

/// <summary>What one run of <c>dotnet Heron.Web.dll VERB …</c> did.</summary>
public sealed record CliRun(string Verb, int ExitCode, string Stdout, string Stderr)
{
    public string[] StdoutLines => Lines(Stdout);
    public string[] StderrLines => Lines(Stderr);

    /// <summary>For assertion messages: the run's output with any token cut down to its prefix.</summary>
    public override string ToString() =>
        $"{Verb} exited {ExitCode}\nstdout: {TokenRedactor.Redact(Stdout)}\nstderr: {TokenRedactor.Redact(Stderr)}";

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
}

/// <summary>
/// Runs the operations CLI as a real process: the built Heron.Web.dll (copied next to the test assembly
/// by the project reference) under the same <c>dotnet</c> host, in Production, on a SQLite file of the
/// caller's choosing. Output streams are captured separately.
/// </summary>
public sealed class HeronCliProcess(string databasePath)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private static readonly Regex TokenShaped = new("key_[0-9a-f]{8,}", RegexOptions.IgnoreCase);

    public string DatabasePath { get; } = databasePath;

    /// <summary>Extra environment variables for every run (settings as <c>Section__Key</c>).</summary>
    public Dictionary<string, string> Environment { get; } = new();

    /// <summary>Every run so far, for "the token shows up nowhere else" checks.</summary>
    public List<CliRun> Runs { get; } = [];

    public static string HeronWebDll
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "Heron.Web.dll");
            Assert.True(File.Exists(path), $"Heron.Web.dll is not next to the test assembly ({AppContext.BaseDirectory}).");
            Assert.True(File.Exists(Path.ChangeExtension(path, ".runtimeconfig.json")), "Heron.Web.runtimeconfig.json is missing, so the dll cannot be run with dotnet.");
            return path;
        }
    }

    /// <summary>The host running this build (set by the dotnet CLI), so the app runs on the same runtime.</summary>
    private static string DotnetHost =>
        System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public async Task<CliRun> RunAsync(params string[] args)
    {
        var dll = HeronWebDll;
        var start = new ProcessStartInfo(DotnetHost)
        {
            // The folder a deployment runs from: appsettings.json is read from here, as in production.
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var inherited in start.Environment.Keys.Where(k =>
                     k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) ||
                     k.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase) ||
                     k.StartsWith("Database__", StringComparison.OrdinalIgnoreCase) ||
                     k.StartsWith("Serilog__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(inherited);
        }
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // Production refuses an unencrypted key ring; these runs are about the verbs, not the certificate.
        start.Environment["DataProtection__AllowUnencrypted"] = "true";
        start.Environment["ConnectionStrings__Heron"] = $"Data Source={DatabasePath}";
        foreach (var (key, value) in Environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'{args[0]}' did not exit within {Timeout.TotalSeconds} s.");
        }
        var run = new CliRun(args[0], process.ExitCode, await stdout, await stderr);
        Runs.Add(run);
        return run;
    }

    /// <summary>Where a run printed token-shaped text, other than the stdout of a successful issue-key.</summary>
    public IEnumerable<string> TokenLeaks() =>
        Runs.SelectMany(run => new[]
            {
                (Where: $"{run.Verb} stderr", Text: run.Stderr),
                (Where: $"{run.Verb} stdout", Text: run.Verb == "issue-key" && run.ExitCode == 0 ? "" : run.Stdout),
            })
            .Where(output => TokenShaped.IsMatch(output.Text))
            .Select(output => output.Where);
}
