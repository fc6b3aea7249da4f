using System.Net;
using Heron.Web.ApiKeys;
using Heron.Web.Data;
using Heron.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.KeyControls;

/// <summary>
/// <c>POST /api/credentials/keys/{heron_id}/roll</c>: a new key with the old one's name, scopes and allowlist;
/// the old key works through its grace period and is 401 (expired) from its end; one "rolled" event.
/// </summary>
public sealed class RollTests(ClockedHeronFactory factory) : IClassFixture<ClockedHeronFactory>
{
    private const string Hello = "/api/hello_world/authenticated";

    [Fact]
    public async Task Both_keys_work_during_the_grace_period_and_only_the_new_one_after_it()
    {
        var (_, bootstrap) = await factory.OnboardWithKeyAsync();
        using var admin = factory.KeysApi(bootstrap);
        var old = await admin.CreateWithAsync(new
        {
            name = "deploy", scopes = new[] { "credentials:read" }, allowed_ips = new[] { "127.0.0.0/8", "::1" },
        });
        using var oldClient = factory.ClientWithKey(old.Str("token"));
        using (var warm = await oldClient.GetAsync(Hello))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode); // cached on this instance before the roll
        }

        var rolledAt = factory.Clock.GetUtcNow();
        var replacement = await admin.RollAsync(old.Str("heron_id"), graceSeconds: 3600);

        Assert.NotEqual(old.Str("heron_id"), replacement.Str("heron_id"));
        Assert.NotEqual(old.Str("token"), replacement.Str("token"));
        Assert.Equal("deploy", replacement.Str("name"));
        Assert.Equal(["credentials:read"], replacement.Strings("scopes"));
        Assert.Equal(["127.0.0.0/8", "::1"], replacement.Strings("allowed_ips"));
        var listedOld = (await admin.FindAsync(old.Str("heron_id")))!.Value;
        var graceEnds = DateTime.Parse(listedOld.Str("expires_at")).ToUniversalTime();
        Assert.InRange(graceEnds, rolledAt.UtcDateTime.AddSeconds(3599), rolledAt.UtcDateTime.AddSeconds(3601));

        using var newClient = factory.ClientWithKey(replacement.Str("token"));
        factory.Clock.AdvanceTo(new DateTimeOffset(graceEnds).AddSeconds(-1));
        foreach (var client in new[] { oldClient, newClient })
        {
            using var during = await client.GetAsync(Hello);
            Assert.Equal(HttpStatusCode.OK, during.StatusCode);
        }

        factory.Clock.AdvanceTo(new DateTimeOffset(graceEnds));
        using var afterOld = await oldClient.GetAsync(Hello);
        Assert.StartsWith("This API key expired at", await ApiAssert.SentenceEnvelopeAsync(afterOld, HttpStatusCode.Unauthorized, "Unauthorized"));
        using var afterNew = await newClient.GetAsync(Hello);
        Assert.Equal(HttpStatusCode.OK, afterNew.StatusCode);

        var kinds = await factory.WithScopeAsync(services => services.GetRequiredService<HeronDbContext>().ApiKeyEvents
            .Where(e => e.ApiKey.HeronId == old.Str("heron_id") || e.ApiKey.HeronId == replacement.Str("heron_id"))
            .OrderBy(e => e.Id).Select(e => e.Kind).ToListAsync());
        Assert.Equal([ApiKeyEventKind.Created, ApiKeyEventKind.Rolled], kinds);
    }

    [Fact]
    public async Task A_roll_without_a_body_has_no_grace_and_the_old_key_is_refused_at_once()
    {
        var (_, bootstrap) = await factory.OnboardWithKeyAsync();
        using var admin = factory.KeysApi(bootstrap);
        var old = await admin.CreateWithAsync(new { name = "now" });
        using var oldClient = factory.ClientWithKey(old.Str("token"));

        using var response = await admin.RollResponseAsync(old.Str("heron_id"), body: null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        using var after = await oldClient.GetAsync(Hello);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task A_key_that_expires_rolls_into_one_with_the_same_lifetime()
    {
        var (_, bootstrap) = await factory.OnboardWithKeyAsync();
        using var admin = factory.KeysApi(bootstrap);
        var old = await admin.CreateWithAsync(new { name = "monthly", expires_at = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-ddTHH:mm:ssZ") });
        var lifetime = DateTime.Parse(old.Str("expires_at")).ToUniversalTime() - DateTime.Parse(old.Str("created")).ToUniversalTime();

        var replacement = await admin.RollAsync(old.Str("heron_id"), graceSeconds: 60);

        var newLifetime = DateTime.Parse(replacement.Str("expires_at")).ToUniversalTime() - DateTime.Parse(replacement.Str("created")).ToUniversalTime();
        Assert.InRange(newLifetime, lifetime - TimeSpan.FromSeconds(2), lifetime + TimeSpan.FromSeconds(2));
    }

    [Theory]
    [InlineData("""{"grace_period_seconds": -1}""", "grace_period_seconds")]
    [InlineData("""{"grace_period_seconds": 604801}""", "grace_period_seconds")]
    [InlineData("""{"grace_period_seconds": 1.5}""", "grace_period_seconds")]
    [InlineData("""{"grace_period_seconds": "60"}""", "grace_period_seconds")]
    [InlineData("""{"grace_period_seconds": null}""", "grace_period_seconds")]
    [InlineData("""{"grace": 60}""", "grace")]
    public async Task Bad_input_is_a_field_level_400_and_rolls_nothing(string body, string field)
    {
        var (_, bootstrap) = await factory.OnboardWithKeyAsync();
        using var admin = factory.KeysApi(bootstrap);
        var heronId = await factory.HeronIdOfAsync(bootstrap);

        using var response = await admin.RollResponseAsync(heronId, body);

        await ApiAssert.ValidationErrorAsync(response, field, field == "grace"
            ? "Unknown field."
            : "Must be a whole number of seconds from 0 to 604800 (7 days).");
        var listed = Assert.Single(await admin.ListAsync());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, listed.GetProperty("expires_at").ValueKind);
    }

    [Fact]
    public async Task The_longest_grace_is_accepted_and_an_unknown_key_is_404()
    {
        var (_, bootstrap) = await factory.OnboardWithKeyAsync();
        using var admin = factory.KeysApi(bootstrap);
        var other = await admin.CreateWithAsync(new { name = "week" });
        await admin.RollAsync(other.Str("heron_id"), graceSeconds: 604800);

        using var missing = await admin.RollResponseAsync("key_doesnotexist", """{"grace_period_seconds": 0}""");
        Assert.Equal("Key not found", await ApiAssert.SentenceEnvelopeAsync(missing, HttpStatusCode.NotFound, "Not Found"));
    }
}
