using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace Heron.Benchmarks;

/// <summary><c>dotnet run -c Release --project Heron.Benchmarks -- --filter '*'</c> (see docs/BENCHMARKS.md).</summary>
public static class BenchmarkProgram
{
    // BenchmarkDotNet rebuilds the app and its test host for each run, without the shared compiler: on a
    // busy two-core machine that takes longer than its default two minutes.
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);

    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args, ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(BuildTimeout));
}
