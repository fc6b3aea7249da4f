using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Heron.Web.ApiKeys;

namespace Heron.Benchmarks;

/// <summary>
/// SHA-256 of one 52-byte token: the platform's <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/>
/// (OpenSSL on Linux) against Heron's managed <see cref="Sha256"/>, which the verifier uses.
/// </summary>
[MemoryDiagnoser]
public class TokenHashBenchmarks
{
    private readonly byte[] _token = Encoding.ASCII.GetBytes(ApiKeyToken.Generate());
    private readonly byte[] _hash = new byte[Sha256.HashSize];

    [Benchmark(Baseline = true)]
    public byte[] Platform()
    {
        SHA256.HashData(_token, _hash);
        return _hash;
    }

    [Benchmark]
    public byte[] Heron()
    {
        Sha256.HashData(_token, _hash);
        return _hash;
    }
}
