using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Heron.Testing;

/// <summary>
/// An authenticator app in a few lines (RFC 6238 over RFC 4226, HMAC-SHA1, 30 s, 6 digits), so tests
/// type codes the way a person would: from the setup key the page shows. The app itself uses Identity's provider.
/// </summary>
public static class Totp
{
    public static string Code(string setupKey, DateTimeOffset? at = null) =>
        CodeAt(setupKey, (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds() / 30);

    /// <summary>The code the app will show next: what a person types after the current one was used (each works once).</summary>
    public static string NextCode(string setupKey) => Code(setupKey, DateTimeOffset.UtcNow.AddSeconds(30));

    /// <summary>A well-formed code that is valid in no time step near now, so it is surely wrong.</summary>
    public static string WrongCode(string setupKey)
    {
        var step = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
        var near = Enumerable.Range(-3, 7).Select(d => CodeAt(setupKey, step + d)).ToHashSet();
        return Enumerable.Range(0, 100).Select(i => ((int.Parse(CodeAt(setupKey, step)) + 1 + i) % 1_000_000).ToString("D6"))
            .First(c => !near.Contains(c));
    }

    private static string CodeAt(string setupKey, long step)
    {
        var counter = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var hash = HMACSHA1.HashData(Base32(setupKey), counter);
        var offset = hash[^1] & 0x0f;
        var value = (BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset)) & 0x7fffffff) % 1_000_000;
        return value.ToString("D6");
    }

    private static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = 0;
        var buffer = 0;
        var bytes = new List<byte>();
        foreach (var c in text.ToUpperInvariant().Where(c => c is not (' ' or '=')))
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c);
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }
        return [.. bytes];
    }
}
