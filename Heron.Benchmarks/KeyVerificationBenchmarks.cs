using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Heron.Web.ApiKeys;

namespace Heron.Benchmarks;

/// <summary>
/// The core of the x-api-key check, as <see cref="ApiKeyVerifier"/> runs it: the token's
/// shape and checksum (<see cref="ApiKeyToken.Inspect"/>), its SHA-256 (<see cref="ApiKeyToken.Hash(ReadOnlySpan{char}, Span{byte})"/>)
/// and the in-memory lookup (<see cref="ApiKeyDirectory.TryFindKnown"/>), for each kind of token, with few or
/// many keys cached: the cost must not grow with the number of keys.
/// </summary>
[MemoryDiagnoser]
public class KeyVerificationBenchmarks
{
    private HeronKeys _keys = null!;
    private ApiKeyDirectory _directory = null!;

    [Params(10, 10_000)]
    public int CachedKeys { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _keys = HeronKeys.CreateAsync(CachedKeys).GetAwaiter().GetResult();
        _directory = _keys.Directory;
        // Fail fast if a case does not take the path it is named after.
        Expect(Verify(_keys.Valid), "active");
        Expect(Verify(_keys.Deactivated), "deactivated");
        Expect(Verify(_keys.Unknown), "unknown");
        Expect(Verify(_keys.Malformed), "malformed");
    }

    [GlobalCleanup]
    public void Cleanup() => _keys.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public string Valid() => Verify(_keys.Valid);

    [Benchmark]
    public string Deactivated() => Verify(_keys.Deactivated);

    [Benchmark]
    public string Unknown() => Verify(_keys.Unknown);

    [Benchmark]
    public string Malformed() => Verify(_keys.Malformed);

    /// <summary>The steps of ApiKeyVerifier.VerifyAsync, minus the header handling.</summary>
    private string Verify(string token)
    {
        switch (ApiKeyToken.Inspect(token))
        {
            case TokenShape.Malformed:
                return "malformed";
            case TokenShape.ChecksumMismatch:
                return "checksum_mismatch";
        }
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        ApiKeyToken.Hash(token, hash);
        // Known and unknown tokens are answered from memory once seen; only a first sight asks the database.
        var key = _directory.TryFindKnown(hash, out var known)
            ? known
            : _directory.FindAsync(hash.ToArray(), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return key?.State switch
        {
            null => "unknown",
            ApiKeyState.Deactivated => "deactivated",
            ApiKeyState.Deleted => "deleted",
            _ => "active",
        };
    }

    private static void Expect(string actual, string expected)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"Expected {expected}, got {actual}.");
        }
    }
}
