using System.Buffers;
using System.Globalization;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace Heron.Web.ApiKeys;

public enum TokenShape
{
    WellFormed,
    /// <summary>Not <c>key_</c> + 48 lowercase hex characters.</summary>
    Malformed,
    /// <summary>The right shape, but the last 8 hex digits are not the CRC32 of the rest: a typo or an invented key.</summary>
    ChecksumMismatch,
}

/// <summary>
/// Heron API key tokens: <c>key_</c> + 40 hex characters from a CSPRNG (160 bits) + 8 hex characters
/// of CRC32 over everything before them. The checksum lets the server reject a mistyped or invented
/// key without touching the database, and lets a secret scanner recognise a Heron key offline.
/// Regex: <c>\bkey_[0-9a-f]{48}\b</c>.
/// </summary>
public static class ApiKeyToken
{
    public const string Prefix = "key_";
    public const int RandomHexLength = 40;
    public const int ChecksumHexLength = 8;
    public const int Length = 4 + RandomHexLength + ChecksumHexLength; // 52
    /// <summary>The part that stays visible after creation: <c>key_</c> + 4 hex characters.</summary>
    public const int PrefixLength = 8;

    public static string Generate()
    {
        Span<byte> random = stackalloc byte[RandomHexLength / 2];
        RandomNumberGenerator.Fill(random);
        var body = Prefix + Convert.ToHexStringLower(random);
        return body + Checksum(body);
    }

    public static TokenShape Inspect(ReadOnlySpan<char> token)
    {
        if (token.Length != Length || !token.StartsWith(Prefix, StringComparison.Ordinal)
            || token[Prefix.Length..].ContainsAnyExcept(LowerHexDigits))
        {
            return TokenShape.Malformed;
        }
        Span<byte> ascii = stackalloc byte[Length - ChecksumHexLength];
        Encoding.ASCII.GetBytes(token[..^ChecksumHexLength], ascii);
        // Compared as numbers: parsing eight hex digits is cheaper than formatting the expected ones.
        return uint.Parse(token[^ChecksumHexLength..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture) == Crc32.HashToUInt32(ascii)
            ? TokenShape.WellFormed
            : TokenShape.ChecksumMismatch;
    }

    private static readonly SearchValues<char> LowerHexDigits = SearchValues.Create("0123456789abcdef");

    /// <summary>The 8-character prefix shown in lists and logged with rejections. Only for well-formed tokens.</summary>
    public static string PrefixOf(ReadOnlySpan<char> token) => new(token[..PrefixLength]);

    /// <summary>SHA-256 of the token's ASCII bytes: the only form in which Heron stores a token.</summary>
    public static byte[] Hash(ReadOnlySpan<char> token)
    {
        var hash = new byte[SHA256.HashSizeInBytes];
        Hash(token, hash);
        return hash;
    }

    /// <summary>The same hash, written to <paramref name="destination"/> (32 bytes) without allocating: the per-request form.</summary>
    public static void Hash(ReadOnlySpan<char> token, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, SHA256.HashSizeInBytes, nameof(destination));
        Span<byte> ascii = stackalloc byte[Length];
        var written = Encoding.ASCII.GetBytes(token, ascii);
        // Nothing between AppendData and GetHashAndReset can throw, so the context is always left reset.
        var sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha256.AppendData(ascii[..written]);
        sha256.GetHashAndReset(destination);
    }

    /// <summary>
    /// One SHA-256 context per thread, reset after each hash: the platform's implementation (OpenSSL on Linux,
    /// CNG on Windows) without creating and freeing a native context per request, which the one-shot
    /// <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/> does (Heron.Benchmarks' TokenHashBenchmarks:
    /// this method takes about 0.8 of its time). A thread's context lives as long as the thread.
    /// </summary>
    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    private static string Checksum(string body)
    {
        Span<char> hex = stackalloc char[ChecksumHexLength];
        WriteChecksum(body, hex);
        return new string(hex);
    }

    private static void WriteChecksum(ReadOnlySpan<char> body, Span<char> destination)
    {
        Span<byte> ascii = stackalloc byte[Length];
        var written = Encoding.ASCII.GetBytes(body, ascii);
        var crc = Crc32.HashToUInt32(ascii[..written]);
        crc.TryFormat(destination, out _, "x8");
    }
}
