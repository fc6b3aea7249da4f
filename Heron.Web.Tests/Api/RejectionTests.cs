using System.Net;
using Heron.Web.ApiKeys;
using Heron.Web.Tests.Infrastructure;
using Microsoft.Extensions.Primitives;
using Serilog.Events;

namespace Heron.Web.Tests.Api;

/// <summary>
/// Every way an <c>x-api-key</c> is refused: 401 with Heron's envelope and a description that says what to
/// fix, and exactly one structured warning from <c>RejectionLog</c> that never contains the token.
/// Each request goes to a path of its own, so its log event is told apart from every other.
/// </summary>
public sealed class RejectionTests(HeronFactory factory) : IClassFixture<HeronFactory>
{
    private const string RequestLogContext = "Serilog.AspNetCore.RequestLoggingMiddleware";

    [Fact]
    public async Task Missing_header_is_401_missing()
    {
        await AssertRejectedAsync(apiKey: null, "missing", expectedPrefix: null, mentions: "x-api-key");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Empty_header_is_401_missing(string value)
    {
        await AssertRejectedAsync(new StringValues(value), "missing", expectedPrefix: null, mentions: "x-api-key");
    }

    public static TheoryData<string> Malformations =>
    [
        "wrong prefix", "one character short", "one character long", "uppercase hex", "whitespace inside",
        "quoted", "Bearer scheme", "prefix only", "8 KB long", "control character", "non-ASCII digits",
    ];

    [Theory]
    [MemberData(nameof(Malformations))]
    public async Task Malformed_key_is_401_malformed_without_a_prefix_in_the_log(string malformation)
    {
        var (_, token) = await factory.OnboardWithKeyAsync();
        var sent = malformation switch
        {
            "wrong prefix" => "kex_" + token[4..],
            "one character short" => token[..^1],
            "one character long" => token + "0",
            "uppercase hex" => "key_" + token[4..].ToUpperInvariant(),
            "whitespace inside" => token[..20] + " " + token[21..],
            "quoted" => "\"" + token + "\"",
            "Bearer scheme" => "Bearer " + token,
            "prefix only" => "key_",
            "control character" => token[..30] + "\u0001" + token[31..],
            "non-ASCII digits" => "key_" + new string('٣', 48),
            "8 KB long" => token + new string('a', 8 * 1024),
            _ => throw new ArgumentOutOfRangeException(nameof(malformation)),
        };

        var rejection = await AssertRejectedAsync(new StringValues(sent), "malformed", expectedPrefix: null, mentions: "key_", secret: token);

        Assert.Contains("48", rejection.Description);
    }

    /// <summary>
    /// HTTP itself refuses these before the app sees the request: Kestrel answers 400 for a bare line
    /// feed inside a header and 431 for headers over its 32 KB limit. Nothing reaches the key check, so
    /// nothing is logged as a rejected key.
    /// </summary>
    [Theory]
    [InlineData("bare line feed", 400)]
    [InlineData("64 KB long", 431)]
    public async Task Header_values_the_http_server_refuses_never_reach_the_key_check(string malformation, int status)
    {
        var (_, token) = await factory.OnboardWithKeyAsync();
        var sent = malformation switch
        {
            "bare line feed" => token[..30] + "\n" + token[31..],
            "64 KB long" => token + new string('a', 64 * 1024),
            _ => throw new ArgumentOutOfRangeException(nameof(malformation)),
        };
        var before = factory.Log.Rejections.Count;

        var response = await factory.SendRawAsync("GET", "/api/hello_world/authenticated", new StringValues(sent));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(before, factory.Log.Rejections.Count);
        Assert.False(factory.Log.AllText().Contains(token, StringComparison.Ordinal), "The full token appears in the captured log.");
    }

    /// <summary>Spaces around a header value are not part of it (RFC 9110), so a key sent with them still works.</summary>
    [Theory]
    [InlineData(" {0}")]
    [InlineData("{0}  ")]
    public async Task Spaces_around_the_header_value_are_not_part_of_the_key(string format)
    {
        var (_, token) = await factory.OnboardWithKeyAsync();

        var response = await factory.SendRawAsync("GET", "/api/hello_world/authenticated", new StringValues(string.Format(format, token)));

        Assert.Equal(200, response.StatusCode);
    }

    [Fact]
    public async Task Checksum_mismatch_is_401_and_logs_the_prefix()
    {
        var (_, token) = await factory.OnboardWithKeyAsync();
        var mistyped = token[..^1] + (token[^1] == '0' ? '1' : '0');

        await AssertRejectedAsync(new StringValues(mistyped), "checksum_mismatch", token[..8], mentions: "checksum", secret: token);
        Assert.False(factory.Log.AllText().Contains(mistyped, StringComparison.Ordinal), "The mistyped token was logged.");
    }

    [Fact]
    public async Task Well_formed_key_that_was_never_issued_is_401_unknown_every_time()
    {
        var invented = ApiKeyToken.Generate();

        await AssertRejectedAsync(new StringValues(invented), "unknown", invented[..8], mentions: "Unknown", secret: invented);
        // The second time it is refused from memory; it is still answered and logged the same way.
        await AssertRejectedAsync(new StringValues(invented), "unknown", invented[..8], mentions: "Unknown", secret: invented);
    }

    [Fact]
    public async Task Deactivated_key_is_401_deactivated_naming_its_prefix()
    {
        var (_, admin) = await factory.OnboardWithKeyAsync();
        using var api = factory.KeysApi(admin);
        var victim = await api.CreateAsync("to deactivate");
        var token = victim.GetProperty("token").GetString()!;
        using (var deactivated = await api.DeactivateAsync(victim.GetProperty("heron_id").GetString()!))
        {
            Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        }

        var rejection = await AssertRejectedAsync(new StringValues(token), "deactivated", token[..8], mentions: "deactivated", secret: token);

        Assert.Contains(token[..8], rejection.Description);
    }

    [Fact]
    public async Task Deleted_key_is_401_deleted()
    {
        var (_, admin) = await factory.OnboardWithKeyAsync();
        using var api = factory.KeysApi(admin);
        var victim = await api.CreateAsync("to delete");
        var token = victim.GetProperty("token").GetString()!;
        using (var deleted = await api.DeleteAsync(victim.GetProperty("heron_id").GetString()!))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        await AssertRejectedAsync(new StringValues(token), "deleted", token[..8], mentions: "deleted", secret: token);
    }

    [Fact]
    public async Task Two_x_api_key_headers_are_401_repeated_even_when_both_keys_are_valid()
    {
        var (_, first) = await factory.OnboardWithKeyAsync();
        var (_, second) = await factory.OnboardWithKeyAsync();

        await AssertRejectedAsync(new StringValues([first, second]), "repeated", expectedPrefix: null, mentions: "one", secret: first);
        Assert.False(factory.Log.AllText().Contains(second, StringComparison.Ordinal), "The second token was logged.");
    }

    [Fact]
    public async Task One_header_with_two_comma_separated_keys_is_401_repeated()
    {
        var (_, first) = await factory.OnboardWithKeyAsync();
        var (_, second) = await factory.OnboardWithKeyAsync();

        await AssertRejectedAsync(new StringValues($"{first}, {second}"), "repeated", expectedPrefix: null, mentions: "one", secret: first);
        Assert.False(factory.Log.AllText().Contains(second, StringComparison.Ordinal), "The second token was logged.");
    }

    [Fact]
    public async Task A_valid_key_is_not_rejected_and_logs_no_rejection()
    {
        var (_, token) = await factory.OnboardWithKeyAsync();
        var before = factory.Log.Events.Count;

        var response = await factory.SendRawAsync("GET", "/api/hello_world/authenticated", new StringValues(token));

        Assert.Equal(200, response.StatusCode);
        Assert.DoesNotContain(factory.Log.Events.Skip(before), CapturedLog.IsRejection);
    }

    [Fact]
    public async Task Anonymous_hello_world_ignores_a_bad_key_and_logs_nothing_about_it()
    {
        var (_, token) = await factory.OnboardWithKeyAsync();
        var before = factory.Log.Events.Count;

        foreach (var bad in new[] { "nonsense", token[..^1] + (token[^1] == '0' ? '1' : '0'), ApiKeyToken.Generate() })
        {
            var response = await factory.SendRawAsync("GET", "/api/hello_world", new StringValues(bad));
            Assert.Equal(200, response.StatusCode);
            Assert.Contains("\"hello\"", response.Body);
        }

        var written = factory.Log.Events.Skip(before).ToList();
        Assert.DoesNotContain(written, CapturedLog.IsRejection);
        var aboutTheKey = written.Where(e => e.Scalar("RequestPath") == "/api/hello_world" && e.Scalar("SourceContext") != RequestLogContext)
            .Select(e => $"[{e.Scalar("SourceContext")}] {e.RenderMessage()}").ToList();
        Assert.True(aboutTheKey.Count == 0, "Logged for an anonymous request: " + string.Join("; ", aboutTheKey));
    }

    [Fact]
    public async Task A_key_in_the_query_string_is_not_accepted_and_not_logged()
    {
        var (_, token) = await factory.OnboardWithKeyAsync();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync($"/api/hello_world/authenticated?x-api-key={token}");

        Assert.Contains("x-api-key header", await ApiAssert.SentenceEnvelopeAsync(response, HttpStatusCode.Unauthorized, "Unauthorized"));
        Assert.Equal("missing", factory.Log.Rejections.Last().Scalar("Reason"));
        Assert.False(factory.Log.AllText().Contains(token, StringComparison.Ordinal), "The token from the query string was logged.");
    }

    [Fact]
    public async Task A_rejection_is_logged_once_not_repeated_by_other_loggers()
    {
        var invented = ApiKeyToken.Generate();
        var path = UniquePath();
        var before = factory.Log.Events.Count;

        var response = await factory.SendRawAsync("PUT", path, new StringValues(invented));

        Assert.Equal(401, response.StatusCode);
        var aboutThisRequest = factory.Log.Events.Skip(before)
            .Where(e => e.Scalar("Path") == path || e.Scalar("RequestPath") == path)
            .Where(e => e.Scalar("SourceContext") != RequestLogContext)
            .ToList();
        var only = Assert.Single(aboutThisRequest);
        Assert.True(CapturedLog.IsRejection(only), $"Unexpected event about the rejection: [{only.Scalar("SourceContext")}] {only.RenderMessage()}");
    }

    [Fact]
    public async Task A_token_pasted_into_the_url_is_not_logged()
    {
        var (_, token) = await factory.OnboardWithKeyAsync();
        // A classic slip: the token where the heron_id belongs, and no key header.
        var path = $"{KeysApi.Path}/{token}/deactivate";

        var response = await factory.SendRawAsync("PUT", path, apiKey: null);

        Assert.Equal(401, response.StatusCode);
        // Names where it leaked (source and property), never the value itself.
        var leaks = factory.Log.Events
            .SelectMany(e => e.Properties.Where(p => p.Value.ToString().Contains(token, StringComparison.Ordinal))
                .Select(p => $"{e.Scalar("SourceContext")}.{p.Key}"))
            .ToList();
        Assert.True(leaks.Count == 0, "The token from the URL was logged in: " + string.Join(", ", leaks));
        Assert.False(factory.Log.AllText().Contains(token, StringComparison.Ordinal), "The token from the URL was logged.");
        Assert.StartsWith(KeysApi.Path + "/" + token[..8], factory.Log.Rejections.Last().Scalar("Path"));
    }

    private sealed record Rejection(string Description, LogEvent Event);

    /// <summary>
    /// Sends one authenticated request with <paramref name="apiKey"/> to a path of its own and checks the
    /// 401, its envelope and the single rejection event logged for it.
    /// </summary>
    private async Task<Rejection> AssertRejectedAsync(
        StringValues? apiKey, string reason, string? expectedPrefix, string mentions, string? secret = null)
    {
        var path = UniquePath();
        var before = factory.Log.Events.Count;

        var response = await factory.SendRawAsync("PUT", path, apiKey);

        var description = ApiAssert.SentenceEnvelope(response, 401, "Unauthorized");
        Assert.Contains(mentions, description, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith(".", description);

        // Leaks first: a failing comparison below would print the logged value.
        if (secret is not null)
        {
            Assert.False(factory.Log.AllText().Contains(secret, StringComparison.Ordinal), "The full token appears in the captured log.");
            Assert.False(response.Body.Contains(secret, StringComparison.Ordinal), "The full token appears in the response.");
        }
        var logged = factory.Log.Events.Skip(before).Where(CapturedLog.IsRejection).ToList();
        var entry = Assert.Single(logged);
        Assert.Equal(LogEventLevel.Warning, entry.Level);
        Assert.Equal(reason, entry.Scalar("Reason"));
        Assert.Equal(expectedPrefix, entry.Scalar("TokenPrefix"));
        Assert.Equal("PUT", entry.Scalar("Method"));
        Assert.Equal(path, entry.Scalar("Path"));
        Assert.Equal(RawRequests.ClientIp.ToString(), entry.Scalar("ClientIp"));
        var traceId = entry.Scalar("TraceId");
        Assert.False(string.IsNullOrWhiteSpace(traceId), "The rejection has no trace id.");
        Assert.NotEqual(new string('0', 32), traceId);
        return new Rejection(description, entry);
    }

    /// <summary>An authenticated route with an id nobody else uses, so the request's log event is unmistakable.</summary>
    private static string UniquePath() => $"{KeysApi.Path}/apk_{Guid.NewGuid():N}/deactivate";
}
