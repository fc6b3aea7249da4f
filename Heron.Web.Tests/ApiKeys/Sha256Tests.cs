using System.Security.Cryptography;
using System.Text;
using Heron.Web.ApiKeys;

namespace Heron.Web.Tests.ApiKeys;

/// <summary>Heron's managed SHA-256 must be SHA-256: the stored hashes were, and stay, the platform's.</summary>
public sealed class Sha256Tests
{
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    [InlineData("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")]
    public void It_matches_the_FIPS_180_4_examples(string message, string expected)
    {
        Assert.Equal(expected, Hex(Encoding.ASCII.GetBytes(message)));
    }

    [Fact]
    public void It_matches_the_FIPS_180_4_million_a_example()
    {
        Assert.Equal("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", Hex(Encoding.ASCII.GetBytes(new string('a', 1_000_000))));
    }

    [Fact]
    public void It_agrees_with_the_platform_on_every_length_around_the_block_boundaries()
    {
        var random = new Random(20261126);
        var ours = new byte[Sha256.HashSize];
        for (var length = 0; length <= 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Sha256.HashData(data, ours);
            Assert.True(ours.AsSpan().SequenceEqual(SHA256.HashData(data)), $"Different hash for {length} bytes.");
        }
    }

    [Fact]
    public void It_writes_only_the_first_32_bytes_and_refuses_a_smaller_destination()
    {
        var destination = Enumerable.Repeat((byte)0xEE, 40).ToArray();
        Sha256.HashData("abc"u8, destination);
        Assert.Equal(SHA256.HashData("abc"u8.ToArray()), destination[..32]);
        Assert.All(destination[32..], b => Assert.Equal(0xEE, b));

        Assert.Throws<ArgumentOutOfRangeException>(() => Sha256.HashData("abc"u8, new byte[31]));
    }

    [Fact]
    public void The_allocation_free_token_hash_equals_the_stored_form()
    {
        var token = ApiKeyToken.Generate();
        Span<byte> hash = stackalloc byte[Sha256.HashSize];

        ApiKeyToken.Hash(token, hash);

        Assert.Equal(SHA256.HashData(Encoding.ASCII.GetBytes(token)), hash.ToArray());
        Assert.Equal(ApiKeyToken.Hash(token), hash.ToArray());
    }

    private static string Hex(byte[] data)
    {
        Span<byte> hash = stackalloc byte[Sha256.HashSize];
        Sha256.HashData(data, hash);
        return Convert.ToHexStringLower(hash);
    }
}
