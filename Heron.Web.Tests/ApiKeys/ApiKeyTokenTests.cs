using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Heron.Web.ApiKeys;

namespace Heron.Web.Tests.ApiKeys;

// Failure messages show token prefixes only: a test log is no place for a whole token, even a throwaway one.
public sealed class ApiKeyTokenTests
{
    private static readonly Regex Documented = new(@"^key_[0-9a-f]{48}$");
    private const string Hex = "0123456789abcdef";

    [Fact]
    public void A_generated_token_has_the_documented_shape_and_inspects_as_well_formed()
    {
        var token = ApiKeyToken.Generate();

        Assert.True(Documented.IsMatch(token), $"{token[..8]}… does not match ^key_[0-9a-f]{{48}}$");
        Assert.Equal(52, token.Length);
        Assert.Equal(TokenShape.WellFormed, ApiKeyToken.Inspect(token));
    }

    [Fact]
    public void The_last_8_hex_digits_are_the_crc32_of_everything_before_them()
    {
        var token = ApiKeyToken.Generate();

        var crc = Crc32.HashToUInt32(Encoding.ASCII.GetBytes(token[..^8]));
        Assert.True(token[^8..] == crc.ToString("x8"), $"{token[..8]}…: the checksum is not the CRC32 of the rest.");
    }

    [Fact]
    public void Changing_any_single_character_of_the_random_part_or_the_checksum_is_a_checksum_mismatch()
    {
        var token = ApiKeyToken.Generate();
        var failures = new List<string>();

        for (var position = ApiKeyToken.Prefix.Length; position < token.Length; position++)
        {
            foreach (var replacement in Hex.Where(c => c != token[position]))
            {
                var altered = string.Concat(token.AsSpan(0, position), replacement.ToString(), token.AsSpan(position + 1));
                if (ApiKeyToken.Inspect(altered) != TokenShape.ChecksumMismatch)
                {
                    failures.Add($"position {position} → '{replacement}': {ApiKeyToken.Inspect(altered)}");
                }
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void Wrong_length_prefix_case_or_characters_are_malformed()
    {
        var token = TokenWithAHexLetter();
        string[] malformed =
        [
            "",
            token[..^1],
            token + "0",
            " " + token,
            token + "\n",
            "KEY_" + token[4..],
            "kay_" + token[4..],
            "key-" + token[4..],
            "key_" + token[4..].ToUpperInvariant(),
            token[..10] + "g" + token[11..],
            "key_" + token,
        ];

        var wrong = malformed.Where(t => ApiKeyToken.Inspect(t) != TokenShape.Malformed)
            .Select(t => $"'{(t.Length > 8 ? t[..8] + "…" : t)}' (length {t.Length}) → {ApiKeyToken.Inspect(t)}")
            .ToList();
        Assert.Empty(wrong);
    }

    [Fact]
    public void The_prefix_is_the_first_8_characters()
    {
        var token = ApiKeyToken.Generate();

        var prefix = ApiKeyToken.PrefixOf(token);

        Assert.Equal(8, prefix.Length);
        Assert.StartsWith("key_", prefix);
        Assert.Equal(token[..8], prefix);
    }

    [Fact]
    public void The_hash_is_sha256_of_the_ascii_token()
    {
        var token = ApiKeyToken.Generate();

        var hash = ApiKeyToken.Hash(token);

        Assert.Equal(32, hash.Length);
        Assert.Equal(SHA256.HashData(Encoding.ASCII.GetBytes(token)), hash);
        Assert.NotEqual(hash, ApiKeyToken.Hash(ApiKeyToken.Generate()));
    }

    [Fact]
    public async Task The_reused_hash_context_gives_each_token_its_own_hash_on_every_thread_even_after_a_refused_call()
    {
        var tokens = Enumerable.Range(0, 64).Select(_ => ApiKeyToken.Generate()).ToArray();
        var expected = tokens.Select(token => SHA256.HashData(Encoding.ASCII.GetBytes(token))).ToArray();

        // A destination too small is refused before anything is hashed, so the thread's context stays reset.
        Assert.Throws<ArgumentOutOfRangeException>(() => ApiKeyToken.Hash(tokens[0], new byte[31]));
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            tokens.Select(token =>
            {
                var hash = new byte[32];
                ApiKeyToken.Hash(token, hash);
                return hash;
            }).ToArray())));

        Assert.Equal(expected, tokens.Select(token => ApiKeyToken.Hash(token)).ToArray());
        Assert.All(results, hashes => Assert.Equal(expected, hashes));
    }

    [Fact]
    public void The_per_request_hash_into_a_span_equals_the_stored_form_and_writes_only_32_bytes()
    {
        var token = ApiKeyToken.Generate();
        Span<byte> destination = stackalloc byte[40];
        destination.Fill(0xEE);

        ApiKeyToken.Hash(token, destination);

        Assert.Equal(ApiKeyToken.Hash(token), destination[..32].ToArray());
        Assert.All(destination[32..].ToArray(), b => Assert.Equal(0xEE, b));
    }

    /// <summary>
    /// Databases store this hash: it must not change, whatever computes it. The token is assembled here
    /// (a whole one in the source would trip secret scanners) and its hash was computed with <c>sha256sum</c>.
    /// </summary>
    [Fact]
    public void The_stored_form_of_a_fixed_token_is_unchanged()
    {
        var body = ApiKeyToken.Prefix + "0123456789abcdef0123456789abcdef01234567";
        var token = body + Crc32.HashToUInt32(Encoding.ASCII.GetBytes(body)).ToString("x8");

        Assert.Equal(TokenShape.WellFormed, ApiKeyToken.Inspect(token));
        Assert.Equal("d5d4360a729bc667944359331839deaf27a017465d21a4f43a017590fee2b809", Convert.ToHexStringLower(ApiKeyToken.Hash(token)));
    }

    [Fact]
    public void A_thousand_generated_tokens_are_distinct_and_well_formed()
    {
        var tokens = Enumerable.Range(0, 1000).Select(_ => ApiKeyToken.Generate()).ToList();

        Assert.Equal(1000, tokens.Distinct(StringComparer.Ordinal).Count());
        Assert.All(tokens, t => Assert.True(ApiKeyToken.Inspect(t) == TokenShape.WellFormed, $"{t[..8]}… is not well-formed."));
    }

    /// <summary>A token whose random part has a letter, so upper-casing it changes it.</summary>
    private static string TokenWithAHexLetter()
    {
        while (true)
        {
            var token = ApiKeyToken.Generate();
            if (token[4..].Any(char.IsAsciiLetter))
            {
                return token;
            }
        }
    }
}
