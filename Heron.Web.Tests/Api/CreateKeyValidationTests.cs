using System.Net;
using System.Text;
using System.Text.Json;
using Heron.Web.Tests.Infrastructure;

namespace Heron.Web.Tests.Api;

/// <summary>
/// <c>POST /api/credentials/keys</c> with bad input: the right status, Heron's envelope, validation errors in the
/// contract's shape, and no key created. Each test lists its organization's keys before and after.
/// </summary>
public sealed class CreateKeyValidationTests(HeronFactory factory) : IClassFixture<HeronFactory>
{
    private const string LengthError = "Length must be between 1 and 128.";
    private const string ControlError = "Must not contain control characters.";
    private const string NotAString = "Not a valid string.";

    [Theory]
    [InlineData("""{"name": """)]
    [InlineData("""{"name": "x",}""")]
    [InlineData("""{name: "x"}""")]
    [InlineData("""{"name": "x"} trailing""")]
    [InlineData("not json at all")]
    public async Task Malformed_json_is_400_with_a_sentence_and_creates_nothing(string body)
    {
        await AssertNothingCreatedAsync(async api =>
        {
            using var response = await api.CreateResponseAsync(body);
            var description = await ApiAssert.SentenceEnvelopeAsync(response, HttpStatusCode.BadRequest, "Bad Request");
            Assert.Contains("JSON", description);
        });
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("""[{"name": "x"}]""")]
    [InlineData("\"x\"")]
    [InlineData("42")]
    [InlineData("null")]
    public async Task A_body_that_is_not_a_json_object_is_400_and_creates_nothing(string body)
    {
        await AssertNothingCreatedAsync(async api =>
        {
            using var response = await api.CreateResponseAsync(body);
            var description = await ApiAssert.SentenceEnvelopeAsync(response, HttpStatusCode.BadRequest, "Bad Request");
            Assert.Contains("JSON object", description);
        });
    }

    [Theory]
    [InlineData("""{"name": 42}""")]
    [InlineData("""{"name": null}""")]
    [InlineData("""{"name": {"first": "x"}}""")]
    [InlineData("""{"name": ["x"]}""")]
    [InlineData("""{"name": true}""")]
    [InlineData("""{"name": "\ud800"}""")]
    public async Task A_name_that_is_not_a_string_is_400_not_a_valid_string(string body)
    {
        await AssertNothingCreatedAsync(async api =>
        {
            using var response = await api.CreateResponseAsync(body);
            await ApiAssert.ValidationErrorAsync(response, "name", NotAString);
        });
    }

    [Fact]
    public async Task A_missing_name_is_400_missing_data()
    {
        await AssertNothingCreatedAsync(async api =>
        {
            using var response = await api.CreateResponseAsync("{}");
            await ApiAssert.ValidationErrorAsync(response, "name", "Missing data for required field.");
        });
    }

    [Fact]
    public async Task An_extra_field_is_400_unknown_field()
    {
        await AssertNothingCreatedAsync(async api =>
        {
            using var response = await api.CreateResponseAsync("""{"name": "fine", "is_active": false}""");
            await ApiAssert.ValidationErrorAsync(response, "is_active", "Unknown field.");
        });
    }

    [Fact]
    public async Task A_repeated_name_property_is_400()
    {
        await AssertNothingCreatedAsync(async api =>
        {
            using var response = await api.CreateResponseAsync("""{"name": "first", "name": "second"}""");
            await ApiAssert.SentenceEnvelopeAsync(response, HttpStatusCode.BadRequest, "Bad Request");
        });
    }

    [Theory]
    [InlineData(129)]
    [InlineData(1000)]
    public async Task A_name_longer_than_128_characters_is_400_length(int length)
    {
        await AssertNothingCreatedAsync(async api =>
        {
            using var response = await api.CreateResponseAsync(Json(new string('a', length)));
            await ApiAssert.ValidationErrorAsync(response, "name", LengthError);
        });
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("   \t  ")]
    public async Task An_empty_or_blank_name_is_400_length(string name)
    {
        await AssertNothingCreatedAsync(async api =>
        {
            using var response = await api.CreateResponseAsync(Json(name));
            await ApiAssert.ValidationErrorAsync(response, "name", LengthError);
        });
    }

    [Theory]
    [InlineData("""{"name": "nul\u0000here"}""")]
    [InlineData("""{"name": "two\nlines"}""")]
    [InlineData("""{"name": "bell\u0007"}""")]
    [InlineData("""{"name": "invoice\u202Etxt.exe"}""")]
    [InlineData("""{"name": "isolate\u2066x\u2069"}""")]
    public async Task A_name_with_control_characters_is_400(string body)
    {
        await AssertNothingCreatedAsync(async api =>
        {
            using var response = await api.CreateResponseAsync(body);
            await ApiAssert.ValidationErrorAsync(response, "name", ControlError);
        });
    }

    [Fact]
    public async Task A_name_of_exactly_128_characters_is_accepted_unchanged()
    {
        var name = string.Concat(Enumerable.Repeat("0123456789abcdef", 8));
        await AssertCreatedWithNameAsync(Json(name), name);
    }

    [Fact]
    public async Task A_name_of_128_emoji_counts_code_points_and_is_accepted()
    {
        var name = string.Concat(Enumerable.Repeat("🦩", 128));
        Assert.Equal(256, name.Length);
        await AssertCreatedWithNameAsync(Json(name), name);
    }

    [Fact]
    public async Task A_name_of_129_emoji_is_400_length()
    {
        await AssertNothingCreatedAsync(async api =>
        {
            using var response = await api.CreateResponseAsync(Json(string.Concat(Enumerable.Repeat("🦩", 129))));
            await ApiAssert.ValidationErrorAsync(response, "name", LengthError);
        });
    }

    [Fact]
    public async Task A_name_with_surrounding_spaces_is_stored_trimmed()
    {
        await AssertCreatedWithNameAsync(Json("  deploy bot  "), "deploy bot");
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("text/plain")]
    public async Task A_json_body_under_another_content_type_is_accepted(string contentType)
    {
        await AssertCreatedWithNameAsync(Json("lenient"), "lenient", contentType);
    }

    [Fact]
    public async Task A_body_of_exactly_16_KiB_is_read()
    {
        var json = Json("padded");
        var body = json + new string(' ', 16 * 1024 - Encoding.UTF8.GetByteCount(json));
        Assert.Equal(16 * 1024, Encoding.UTF8.GetByteCount(body));
        await AssertCreatedWithNameAsync(body, "padded");
    }

    [Theory]
    [InlineData(16 * 1024 + 1)]
    [InlineData(1024 * 1024)]
    public async Task A_body_over_16_KiB_is_413_and_creates_nothing(int size)
    {
        var json = Json("padded");
        var body = json + new string(' ', size - Encoding.UTF8.GetByteCount(json));
        await AssertNothingCreatedAsync(async api =>
        {
            using var response = await api.CreateResponseAsync(body);
            var description = await ApiAssert.SentenceEnvelopeAsync(response, HttpStatusCode.RequestEntityTooLarge, "Request Entity Too Large");
            Assert.Contains("16 KiB", description);
        });
    }

    private static string Json(string name) => JsonSerializer.Serialize(new { name });

    /// <summary>Runs <paramref name="attempt"/> with a fresh organization's key and checks its key list did not change.</summary>
    private async Task AssertNothingCreatedAsync(Func<KeysApi, Task> attempt)
    {
        var (_, token) = await factory.OnboardWithKeyAsync();
        using var api = factory.KeysApi(token);
        var before = (await api.ListAsync()).Select(k => k.GetProperty("heron_id").GetString()).ToList();

        await attempt(api);

        var after = (await api.ListAsync()).Select(k => k.GetProperty("heron_id").GetString()).ToList();
        Assert.Equal(before, after);
    }

    private async Task AssertCreatedWithNameAsync(string body, string expectedName, string contentType = "application/json")
    {
        var (_, token) = await factory.OnboardWithKeyAsync();
        using var api = factory.KeysApi(token);

        using var response = await api.CreateResponseAsync(body, contentType);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(expectedName, created.RootElement.GetProperty("name").GetString());
        var listed = await api.FindAsync(created.RootElement.GetProperty("heron_id").GetString()!);
        Assert.Equal(expectedName, listed!.Value.GetProperty("name").GetString());
    }
}
