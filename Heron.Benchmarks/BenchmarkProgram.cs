using BenchmarkDotNet.Running;

namespace Heron.Benchmarks;

/// <summary><c>dotnet run -c Release --project Heron.Benchmarks -- --filter '*'</c> (see docs/BENCHMARKS.md).</summary>
public static class BenchmarkProgram
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
}
