using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Heron.Web.ApiKeys;

namespace Heron.Benchmarks;

/// <summary>
/// SHA-256 of one 52-byte token, two ways the platform offers: the one-shot
/// <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/>, and an <see cref="IncrementalHash"/> kept and
/// reused, which saves creating a native hash context per call (OpenSSL on Linux); and
/// <see cref="ApiKeyToken.Hash(ReadOnlySpan{char}, Span{byte})"/> itself, which reuses one per thread.
/// </summary>
[MemoryDiagnoser]
public class TokenHashBenchmarks
{
    private static readonly string _tokenText = ApiKeyToken.Generate();
    private readonly byte[] _token = Encoding.ASCII.GetBytes(_tokenText);
    private readonly byte[] _hash = new byte[SHA256.HashSizeInBytes];
    private readonly IncrementalHash _reused = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    [GlobalCleanup]
    public void Cleanup() => _reused.Dispose();

    [Benchmark(Baseline = true)]
    public byte[] OneShot()
    {
        SHA256.HashData(_token, _hash);
        return _hash;
    }

    [Benchmark]
    public byte[] ReusedIncrementalHash()
    {
        _reused.AppendData(_token);
        _reused.GetHashAndReset(_hash);
        return _hash;
    }

    [Benchmark]
    public byte[] TokenHash()
    {
        ApiKeyToken.Hash(_tokenText, _hash);
        return _hash;
    }
}
