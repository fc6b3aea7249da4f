using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Heron.Web.ApiKeys;
using Heron.Web.Tests.Infrastructure;

namespace Heron.Web.Tests.Api;

/// <summary>The five <c>/api/credentials/keys</c> operations, as a client uses them.</summary>
public sealed partial class CredentialsKeysTests(HeronFactory factory) : IClassFixture<HeronFactory>
{
    [GeneratedRegex("^key_[0-9a-f]{48}$")]
    private static partial Regex TokenFormat();

    [GeneratedRegex("^apk_[0-9A-Za-z]{22}$")]
    private static partial Regex HeronIdFormat();

    [Fact]
    public async Task List_shows_each_key_with_exactly_the_contract_fields_and_never_a_token()
    {
        var (_, token) = await factory.OnboardWithKeyAsync("listed key");
        using var api = factory.KeysApi(token);

        using var response = await api.ListResponseAsync();
        var raw = await response.Content.ReadAsStringAsync();
        var keys = await api.ListAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var key = Assert.Single(keys);
        Assert.Equal(["allowed_ips", "created", "expires_at", "heron_id", "is_active", "last_used", "name", "scopes", "token_prefix"], ApiAssert.FieldNames(key));
        Assert.Equal("listed key", key.GetProperty("name").GetString());
        Assert.True(key.GetProperty("is_active").GetBoolean());
        Assert.Matches(HeronIdFormat(), key.GetProperty("heron_id").GetString());
        Assert.Equal(token[..8], key.GetProperty("token_prefix").GetString());
        AssertUtcTimestamp(key.GetProperty("created"));
        Assert.False(raw.Contains(token, StringComparison.Ordinal), "The list response contains a full token.");
    }

    [Fact]
    public async Task Create_returns_201_with_the_token_once_in_Heron_format()
    {
        var (_, token) = await factory.OnboardWithKeyAsync();
        using var api = factory.KeysApi(token);
        var before = DateTimeOffset.UtcNow;

        using var response = await api.CreateResponseAsync("""{"name": "CI pipeline"}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var created = document.RootElement;
        Assert.Equal(["allowed_ips", "created", "expires_at", "heron_id", "is_active", "name", "scopes", "token", "token_prefix"], ApiAssert.FieldNames(created));
        var newToken = created.GetProperty("token").GetString()!;
        // Not Assert.Matches: a failure must not print the token.
        var inHeronFormat = TokenFormat().IsMatch(newToken);
        Assert.True(inHeronFormat, $"The token ({KeysApiExtensions.Shown(newToken)}) is not key_ + 48 lowercase hex.");
        Assert.Equal(TokenShape.WellFormed, ApiKeyToken.Inspect(newToken));
        Assert.Equal(newToken[..8], created.GetProperty("token_prefix").GetString());
        Assert.StartsWith("key_", created.GetProperty("token_prefix").GetString());
        Assert.Matches(HeronIdFormat(), created.GetProperty("heron_id").GetString());
        Assert.Equal("CI pipeline", created.GetProperty("name").GetString());
        Assert.True(created.GetProperty("is_active").GetBoolean());
        var createdAt = AssertUtcTimestamp(created.GetProperty("created"));
        Assert.InRange(createdAt, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task A_created_key_works_at_once_and_its_token_never_appears_in_a_list()
    {
        var (_, token) = await factory.OnboardWithKeyAsync();
        using var api = factory.KeysApi(token);
        var created = await api.CreateAsync("second");
        var newToken = created.GetProperty("token").GetString()!;
        var heronId = created.GetProperty("heron_id").GetString()!;

        using var withNewKey = factory.KeysApi(newToken);
        using var listByOld = await api.ListResponseAsync();
        using var listByNew = await withNewKey.ListResponseAsync();

        foreach (var list in new[] { listByOld, listByNew })
        {
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            var raw = await list.Content.ReadAsStringAsync();
            Assert.False(raw.Contains(newToken, StringComparison.Ordinal), "A list response repeats the token of a created key.");
            Assert.False(raw.Contains(newToken[8..], StringComparison.Ordinal), "A list response contains the secret part of a token.");
        }
        var listed = await withNewKey.FindAsync(heronId);
        Assert.NotNull(listed);
        Assert.Equal("second", listed.Value.GetProperty("name").GetString());
        Assert.Equal(newToken[..8], listed.Value.GetProperty("token_prefix").GetString());
        Assert.Equal(created.GetProperty("created").GetDateTimeOffset(), listed.Value.GetProperty("created").GetDateTimeOffset());
        Assert.Equal(2, (await api.ListAsync()).Count);
    }

    [Fact]
    public async Task Deactivate_and_activate_answer_200_with_the_key_status()
    {
        var (_, token) = await factory.OnboardWithKeyAsync();
        using var api = factory.KeysApi(token);
        var heronId = (await api.CreateAsync("toggled")).GetProperty("heron_id").GetString()!;

        using var deactivated = await api.DeactivateAsync(heronId);
        await AssertStatusAsync(deactivated, heronId, isActive: false);
        Assert.False((await api.FindAsync(heronId))!.Value.GetProperty("is_active").GetBoolean());

        using var deactivatedAgain = await api.DeactivateAsync(heronId);
        await AssertStatusAsync(deactivatedAgain, heronId, isActive: false);

        using var activated = await api.ActivateAsync(heronId);
        await AssertStatusAsync(activated, heronId, isActive: true);
        Assert.True((await api.FindAsync(heronId))!.Value.GetProperty("is_active").GetBoolean());

        using var activatedAgain = await api.ActivateAsync(heronId);
        await AssertStatusAsync(activatedAgain, heronId, isActive: true);
    }

    [Fact]
    public async Task Delete_answers_204_then_the_id_is_404_everywhere_and_the_token_401_forever()
    {
        var (_, token) = await factory.OnboardWithKeyAsync();
        using var api = factory.KeysApi(token);
        var created = await api.CreateAsync("doomed");
        var heronId = created.GetProperty("heron_id").GetString()!;
        var doomedToken = created.GetProperty("token").GetString()!;

        using var deleted = await api.DeleteAsync(heronId);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await deleted.Content.ReadAsByteArrayAsync());
        Assert.Null(await api.FindAsync(heronId));
        foreach (var attempt in new Func<string, Task<HttpResponseMessage>>[] { api.DeleteAsync, api.ActivateAsync, api.DeactivateAsync })
        {
            using var response = await attempt(heronId);
            Assert.Equal("Key not found", await ApiAssert.SentenceEnvelopeAsync(response, HttpStatusCode.NotFound, "Not Found"));
        }
        using var withDeleted = factory.ClientWithKey(doomedToken);
        using var rejected = await withDeleted.GetAsync("/api/hello_world/authenticated");
        Assert.Contains("deleted", await ApiAssert.SentenceEnvelopeAsync(rejected, HttpStatusCode.Unauthorized, "Unauthorized"));

        // "Forever": an instance that never saw the key in memory refuses it too.
        using var restarted = factory.SecondInstance();
        using var afterRestart = await restarted.ClientWithKey(doomedToken).GetAsync("/api/hello_world/authenticated");
        Assert.Equal(HttpStatusCode.Unauthorized, afterRestart.StatusCode);
    }

    [Fact]
    public async Task A_key_that_deactivates_itself_is_refused_from_its_next_request()
    {
        var (_, token) = await factory.OnboardWithKeyAsync();
        var heronId = await factory.HeronIdOfAsync(token);
        using var api = factory.KeysApi(token);

        using var deactivated = await api.DeactivateAsync(heronId);
        await AssertStatusAsync(deactivated, heronId, isActive: false);

        using var next = await api.ListResponseAsync();
        Assert.Contains("deactivated", await ApiAssert.SentenceEnvelopeAsync(next, HttpStatusCode.Unauthorized, "Unauthorized"));
    }

    [Fact]
    public async Task A_key_that_deletes_itself_answers_204_and_is_refused_from_then_on()
    {
        var (_, token) = await factory.OnboardWithKeyAsync();
        var heronId = await factory.HeronIdOfAsync(token);
        using var api = factory.KeysApi(token);

        using var deleted = await api.DeleteAsync(heronId);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        using var next = await api.DeleteAsync(heronId);
        Assert.Contains("deleted", await ApiAssert.SentenceEnvelopeAsync(next, HttpStatusCode.Unauthorized, "Unauthorized"));
    }

    [Fact]
    public async Task Unknown_heron_ids_answer_404_key_not_found()
    {
        var (_, token) = await factory.OnboardWithKeyAsync();
        using var api = factory.KeysApi(token);

        foreach (var heronId in new[] { "apk_0000000000000000000000", "not-an-id", token[..8] })
        {
            foreach (var attempt in new Func<string, Task<HttpResponseMessage>>[] { api.DeleteAsync, api.ActivateAsync, api.DeactivateAsync })
            {
                using var response = await attempt(heronId);
                Assert.Equal("Key not found", await ApiAssert.SentenceEnvelopeAsync(response, HttpStatusCode.NotFound, "Not Found"));
            }
        }
        Assert.Single(await api.ListAsync());
    }

    [Fact]
    public async Task Rotation_create_new_deactivate_old_reactivate_then_delete()
    {
        var (_, oldToken) = await factory.OnboardWithKeyAsync("old key");
        var oldId = await factory.HeronIdOfAsync(oldToken);
        using var old = factory.KeysApi(oldToken);

        // 1. Create the replacement with the old key.
        var created = await old.CreateAsync("new key");
        using var current = factory.KeysApi(created.GetProperty("token").GetString()!);

        // 2. Deactivate the old key with the new one: the old key's very next request is refused.
        using (var deactivated = await current.DeactivateAsync(oldId))
        {
            await AssertStatusAsync(deactivated, oldId, isActive: false);
        }
        using (var refused = await old.Client.GetAsync("/api/hello_world/authenticated"))
        {
            Assert.Contains("deactivated", await ApiAssert.SentenceEnvelopeAsync(refused, HttpStatusCode.Unauthorized, "Unauthorized"));
        }
        using (var refusedList = await old.ListResponseAsync())
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refusedList.StatusCode);
        }

        // 3. Reactivate it: it works again at once.
        using (var activated = await current.ActivateAsync(oldId))
        {
            await AssertStatusAsync(activated, oldId, isActive: true);
        }
        using (var restored = await old.Client.GetAsync("/api/hello_world/authenticated"))
        {
            Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        }

        // 4. Delete it: 401 for its token, 404 for its id, and the new key carries on.
        using (var deleted = await current.DeleteAsync(oldId))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }
        using (var gone = await old.Client.GetAsync("/api/hello_world/authenticated"))
        {
            Assert.Contains("deleted", await ApiAssert.SentenceEnvelopeAsync(gone, HttpStatusCode.Unauthorized, "Unauthorized"));
        }
        using (var notFound = await current.ActivateAsync(oldId))
        {
            await ApiAssert.EnvelopeAsync(notFound, HttpStatusCode.NotFound, "Not Found");
        }
        var remaining = await current.ListAsync();
        Assert.Equal(["new key"], remaining.Select(k => k.GetProperty("name").GetString()));
    }

    private static async Task AssertStatusAsync(HttpResponseMessage response, string heronId, bool isActive)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["heron_id", "is_active"], ApiAssert.FieldNames(document.RootElement));
        Assert.Equal(heronId, document.RootElement.GetProperty("heron_id").GetString());
        Assert.Equal(isActive, document.RootElement.GetProperty("is_active").GetBoolean());
    }

    /// <summary>A date-time with an explicit UTC offset, as ISO 8601 clients parse it.</summary>
    private static DateTimeOffset AssertUtcTimestamp(JsonElement value)
    {
        Assert.Equal(JsonValueKind.String, value.ValueKind);
        Assert.True(DateTimeOffset.TryParse(value.GetString(), out var parsed), $"'{value.GetString()}' is not a date-time.");
        Assert.EndsWith("Z", value.GetString());
        return parsed;
    }
}
