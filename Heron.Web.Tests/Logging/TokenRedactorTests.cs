using Heron.Web.ApiKeys;
using Heron.Web.Logging;

namespace Heron.Web.Tests.Logging;

public sealed class TokenRedactorTests
{
    [Fact]
    public void A_token_inside_a_path_is_cut_to_its_8_character_prefix()
    {
        var token = ApiKeyToken.Generate();

        var redacted = TokenRedactor.Redact($"/api/credentials/keys/{token}/deactivate");

        Assert.Equal($"/api/credentials/keys/{token[..8]}[redacted]/deactivate", redacted);
    }

    [Fact]
    public void An_all_upper_case_token_is_redacted_too()
    {
        var token = ApiKeyToken.Generate().ToUpperInvariant();

        var redacted = TokenRedactor.Redact($"/api/{token}")!;

        Assert.Equal($"/api/{token[..8]}[redacted]", redacted);
    }

    [Fact]
    public void Every_token_in_the_text_is_redacted_including_upper_case_and_truncated_ones()
    {
        var first = ApiKeyToken.Generate();
        var second = ApiKeyToken.Generate();

        var redacted = TokenRedactor.Redact($"/x?a={first}&b={second.ToUpperInvariant()[4..].Insert(0, "key_")}&c={second[..20]}")!;

        Assert.False(redacted.Contains(first[8..], StringComparison.OrdinalIgnoreCase), "The first token's secret part is still there.");
        Assert.False(redacted.Contains(second[8..20], StringComparison.OrdinalIgnoreCase), "The second token's secret part is still there.");
        Assert.Equal(3, redacted.Split("[redacted]").Length - 1);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/api/hello_world/authenticated")]
    [InlineData("/api/credentials/keys/key_abc")]
    [InlineData("/monkey_business")]
    public void Text_without_a_token_is_left_alone(string? text)
    {
        Assert.Equal(text, TokenRedactor.Redact(text));
    }
}
