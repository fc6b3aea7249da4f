using System.Net;
using System.Text.Json;
using Heron.Web.Tests.Infrastructure;

namespace Heron.Web.Tests.KeyControls;

/// <summary>
/// <c>POST /api/credentials/keys</c> with the key-control fields: what is accepted comes back on the created key
/// and in the list; bad input on each field is a field-level 400 in Heron's envelope and creates nothing.
/// </summary>
public sealed class KeyControlsValidationTests(HeronFactory factory) : IClassFixture<HeronFactory>
{
    [Fact]
    public async Task A_key_with_controls_shows_them_when_created_and_listed()
    {
        var (_, token) = await factory.OnboardWithKeyAsync();
        using var api = factory.KeysApi(token);
        var expiresAt = DateTime.UtcNow.AddDays(7);
        var created = await api.CreateWithAsync(new
        {
            name = "limited",
            expires_at = expiresAt.ToString("yyyy-MM-ddTHH:mm:ss.fff+00:00"),
            scopes = new[] { "credentials:read" },
            allowed_ips = new[] { " 127.0.0.1 ", "10.0.0.0/8", "2001:DB8::/32", "::ffff:192.0.2.1", "10.0.0.0/8" },
        });

        var expected = expiresAt.ToString("yyyy-MM-ddTHH:mm:ss") + "Z";
        Assert.Equal(expected, created.Str("expires_at"));
        Assert.Equal(["credentials:read"], created.Strings("scopes"));
        // Canonical, mapped IPv4 as IPv4, duplicates once.
        Assert.Equal(["127.0.0.1", "10.0.0.0/8", "2001:db8::/32", "192.0.2.1"], created.Strings("allowed_ips"));

        var listed = (await api.FindAsync(created.Str("heron_id")))!.Value;
        Assert.Equal(expected, listed.Str("expires_at"));
        Assert.Equal(["credentials:read"], listed.Strings("scopes"));
        Assert.Equal(created.Strings("allowed_ips"), listed.Strings("allowed_ips"));
    }

    [Fact]
    public async Task A_key_without_controls_never_expires_has_every_scope_and_works_anywhere()
    {
        var (_, token) = await factory.OnboardWithKeyAsync();
        using var api = factory.KeysApi(token);
        var created = await api.CreateWithAsync(new { name = "plain", expires_at = (string?)null });

        Assert.Equal(JsonValueKind.Null, created.GetProperty("expires_at").ValueKind);
        Assert.Equal(["credentials:read", "credentials:write"], created.Strings("scopes"));
        Assert.Empty(created.Strings("allowed_ips"));
        var bootstrap = (await api.ListAsync()).Single(k => k.Str("heron_id") != created.Str("heron_id"));
        Assert.Equal(JsonValueKind.Null, bootstrap.GetProperty("expires_at").ValueKind);
        Assert.Equal(["credentials:read", "credentials:write"], bootstrap.Strings("scopes"));
        Assert.Empty(bootstrap.Strings("allowed_ips"));
    }

    public static TheoryData<string, string, string> BadFields => new()
    {
        { "expires_at", "\"2020-01-01T00:00:00Z\"", "Must be in the future." },
        { "expires_at", "\"2099-01-01\"", RfcError },
        { "expires_at", "\"2099-01-01 00:00:00Z\"", RfcError },
        { "expires_at", "\"2099-01-01T00:00:00\"", RfcError },
        { "expires_at", "\"2099-13-01T00:00:00Z\"", RfcError },
        { "expires_at", "\"tomorrow\"", RfcError },
        { "expires_at", "1893456000", RfcError },
        { "scopes", "[]", "Must name at least one scope; leave the field out for all of them." },
        { "scopes", "[\"credentials:admin\"]", "Unknown scope “credentials:admin”: the scopes are credentials:read and credentials:write." },
        { "scopes", "[\"Credentials:Read\"]", "Unknown scope “Credentials:Read”: the scopes are credentials:read and credentials:write." },
        { "scopes", "\"credentials:read\"", "Not a valid list." },
        { "scopes", "null", "Not a valid list." },
        { "scopes", "[1]", "Every entry must be a string." },
        { "scopes", "[" + string.Join(",", Enumerable.Repeat("\"credentials:read\"", 17)) + "]", "At most 16 entries." },
        { "allowed_ips", "\"127.0.0.1\"", "Not a valid list." },
        { "allowed_ips", "[null]", "Every entry must be a string." },
        { "allowed_ips", "[" + string.Join(",", Enumerable.Range(1, 51).Select(i => $"\"10.0.0.{i}\"")) + "]", "At most 50 entries." },
        { "allowed_ips", "[\"1.2.3\"]", NotAnAddress("1.2.3") },
        { "allowed_ips", "[\"1\"]", NotAnAddress("1") },
        { "allowed_ips", "[\"\"]", NotAnAddress("") },
        { "allowed_ips", "[\"example.com\"]", NotAnAddress("example.com") },
        { "allowed_ips", "[\"fe80::1%eth0\"]", NotAnAddress("fe80::1%eth0") },
        { "allowed_ips", "[\"10.0.0.0/33\"]", "“10.0.0.0/33” has a prefix length outside 0..32." },
        { "allowed_ips", "[\"10.0.0.0/\"]", "“10.0.0.0/” has a prefix length outside 0..32." },
        { "allowed_ips", "[\"10.0.0.0/-1\"]", "“10.0.0.0/-1” has a prefix length outside 0..32." },
        { "allowed_ips", "[\"2001:db8::/129\"]", "“2001:db8::/129” has a prefix length outside 0..128." },
        { "allowed_ips", "[\"10.0.0.1/24\"]", "“10.0.0.1/24” has bits set beyond its prefix length; did you mean 10.0.0.0/24?" },
        { "allowed_ips", "[\"2001:db8::1/64\"]", "“2001:db8::1/64” has bits set beyond its prefix length; did you mean 2001:db8::/64?" },
    };

    private const string RfcError = "Not a valid RFC 3339 date-time (for example 2026-12-31T23:59:59Z).";

    private static string NotAnAddress(string entry) =>
        $"“{entry}” is not an IPv4 or IPv6 address or CIDR range (for example 203.0.113.0/24 or 2001:db8::/32).";

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task Bad_input_on_a_control_field_is_a_field_level_400_and_creates_nothing(string field, string json, string message)
    {
        var (_, token) = await factory.OnboardWithKeyAsync();
        using var api = factory.KeysApi(token);
        using var response = await api.CreateResponseAsync($$"""{"name": "bad", "{{field}}": {{json}}}""");
        await ApiAssert.ValidationErrorAsync(response, field, message);
        Assert.Single(await api.ListAsync());
    }

    [Fact]
    public async Task An_expiry_is_kept_to_the_second_and_one_within_this_second_is_in_the_past()
    {
        var (_, token) = await factory.OnboardWithKeyAsync();
        using var api = factory.KeysApi(token);
        var created = await api.CreateWithAsync(new { name = "fraction", expires_at = "2099-06-30T12:00:00.999-02:00" });
        Assert.Equal("2099-06-30T14:00:00Z", created.Str("expires_at"));

        using var response = await api.CreateResponseAsync($$"""{"name": "now", "expires_at": "{{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss}}Z"}""");
        await ApiAssert.ValidationErrorAsync(response, "expires_at", "Must be in the future.");
    }
}
