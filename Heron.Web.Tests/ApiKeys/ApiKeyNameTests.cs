using Heron.Web.ApiKeys;

namespace Heron.Web.Tests.ApiKeys;

public sealed class ApiKeyNameTests
{
    [Theory]
    [InlineData("CI", "CI")]
    [InlineData("  CI pipeline \t", "CI pipeline")]
    [InlineData("Déploiement 🚀", "Déploiement 🚀")]
    [InlineData("日本語のキー", "日本語のキー")]
    public void A_good_name_is_accepted_with_surrounding_white_space_trimmed(string raw, string expected)
    {
        Assert.Null(ApiKeyName.Validate(raw, out var name));
        Assert.Equal(expected, name);
    }

    [Fact]
    public void Length_is_counted_in_code_points_from_1_to_128()
    {
        Assert.Null(ApiKeyName.Validate(new string('a', 128), out _));
        Assert.Null(ApiKeyName.Validate(" " + new string('a', 128) + " ", out _));
        Assert.NotNull(ApiKeyName.Validate(new string('a', 129), out _));
    }

    [Fact]
    public void An_emoji_outside_the_basic_plane_counts_as_one_character()
    {
        var key = "🔑"; // two UTF-16 units, one code point
        Assert.Equal(2, key.Length);

        Assert.Null(ApiKeyName.Validate(string.Concat(Enumerable.Repeat(key, 128)), out var name));
        Assert.Equal(256, name.Length);
        Assert.NotNull(ApiKeyName.Validate(string.Concat(Enumerable.Repeat(key, 129)), out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void An_empty_or_blank_name_is_refused_with_the_length_rule(string? raw)
    {
        Assert.Equal("Length must be between 1 and 128.", ApiKeyName.Validate(raw, out _));
    }

    [Theory]
    [InlineData("CI\0key")]
    [InlineData("CI\nkey")]
    [InlineData("CI\tkey")]
    [InlineData("CI\u0007key")]
    [InlineData("CI\u007Fkey")]
    [InlineData("CI\u0085key")]
    [InlineData("CI\u009Bkey")]
    public void A_control_character_inside_the_name_is_refused(string raw)
    {
        Assert.Equal("Must not contain control characters.", ApiKeyName.Validate(raw, out _));
    }

    [Theory]
    [InlineData("\u202E")] // right-to-left override
    [InlineData("\u202D")] // left-to-right override
    [InlineData("\u202A")] // left-to-right embedding
    [InlineData("\u2066")] // left-to-right isolate
    [InlineData("\u2067")] // right-to-left isolate
    [InlineData("\u2069")] // pop directional isolate
    [InlineData("\u200E")] // left-to-right mark
    [InlineData("\u200F")] // right-to-left mark
    [InlineData("\u061C")] // Arabic letter mark
    public void A_bidirectional_control_that_could_disguise_the_name_is_refused(string bidi)
    {
        Assert.Equal("Must not contain control characters.", ApiKeyName.Validate($"prod{bidi}yek", out _));
    }
}
