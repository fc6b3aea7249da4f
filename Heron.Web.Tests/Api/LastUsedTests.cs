using System.Text.Json;
using Heron.Web.Data;
using Heron.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.Api;

/// <summary><c>last_used</c>: null until a key is used, then shown within 5 s and written to the database by the flusher.</summary>
public sealed class LastUsedTests(HeronFactory factory) : LastUsed(factory), IClassFixture<HeronFactory>;

public sealed class LastUsedOnPostgresTests(PostgresHeronFactory factory) : LastUsed(factory), IClassFixture<PostgresHeronFactory>;

public abstract class LastUsed(HeronFactory factory)
{
    private static readonly TimeSpan Promise = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_new_key_has_never_been_used()
    {
        var (_, admin) = await factory.OnboardWithKeyAsync();
        using var api = factory.KeysApi(admin);

        var created = await api.CreateAsync("unused");
        var listed = await api.FindAsync(created.GetProperty("heron_id").GetString()!);

        Assert.Equal(JsonValueKind.Null, listed!.Value.GetProperty("last_used").ValueKind);
        Assert.Null(await LastUsedInDatabaseAsync(created.GetProperty("heron_id").GetString()!));
    }

    [Fact]
    public async Task A_use_shows_in_the_list_within_5_seconds_and_is_persisted()
    {
        var (_, admin) = await factory.OnboardWithKeyAsync();
        using var api = factory.KeysApi(admin);
        var created = await api.CreateAsync("used");
        var heronId = created.GetProperty("heron_id").GetString()!;
        using var user = factory.ClientWithKey(created.GetProperty("token").GetString()!);

        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        using (var used = await user.GetAsync("/api/hello_world/authenticated"))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, used.StatusCode);
        }
        var after = DateTimeOffset.UtcNow.AddSeconds(1);

        var listed = await Eventually.WaitForAsync(
            () => api.FindAsync(heronId),
            key => key!.Value.GetProperty("last_used").ValueKind == JsonValueKind.String,
            Promise, "last_used to show in the list");
        var shown = listed!.Value.GetProperty("last_used");
        Assert.EndsWith("Z", shown.GetString());
        Assert.InRange(shown.GetDateTimeOffset(), before, after);

        var stored = await Eventually.WaitForAsync(() => LastUsedInDatabaseAsync(heronId), at => at is not null, Promise,
            "last_used to be flushed to the database");
        Assert.Equal(shown.GetDateTimeOffset().UtcDateTime, stored!.Value);
    }

    [Fact]
    public async Task Last_used_moves_forward_with_later_uses()
    {
        var (_, admin) = await factory.OnboardWithKeyAsync();
        using var api = factory.KeysApi(admin);
        var created = await api.CreateAsync("used twice");
        var heronId = created.GetProperty("heron_id").GetString()!;
        using var user = factory.ClientWithKey(created.GetProperty("token").GetString()!);

        (await user.GetAsync("/api/hello_world/authenticated")).Dispose();
        var first = await Eventually.WaitForAsync(() => LastUsedInDatabaseAsync(heronId), at => at is not null, Promise,
            "the first use to be flushed");
        (await user.GetAsync("/api/credentials/keys")).Dispose();
        var second = await Eventually.WaitForAsync(() => LastUsedInDatabaseAsync(heronId), at => at > first, Promise,
            "the second use to be flushed");

        var listed = await api.FindAsync(heronId);
        Assert.Equal(second!.Value, listed!.Value.GetProperty("last_used").GetDateTimeOffset().UtcDateTime);
    }

    [Fact]
    public async Task A_rejected_request_does_not_count_as_a_use()
    {
        var (_, admin) = await factory.OnboardWithKeyAsync();
        using var api = factory.KeysApi(admin);
        var created = await api.CreateAsync("deactivated before use");
        var heronId = created.GetProperty("heron_id").GetString()!;
        (await api.DeactivateAsync(heronId)).Dispose();
        using var user = factory.ClientWithKey(created.GetProperty("token").GetString()!);

        using var refused = await user.GetAsync("/api/hello_world/authenticated");
        // A later, accepted request by another key is flushed; by then a use of the refused key would be too.
        using var other = factory.ClientWithKey(admin);
        (await other.GetAsync("/api/hello_world/authenticated")).Dispose();
        var adminId = await factory.HeronIdOfAsync(admin);
        await Eventually.WaitForAsync(() => LastUsedInDatabaseAsync(adminId), at => at is not null, Promise, "the admin's use to be flushed");

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await api.FindAsync(heronId))!.Value.GetProperty("last_used").ValueKind);
        Assert.Null(await LastUsedInDatabaseAsync(heronId));
    }

    private Task<DateTime?> LastUsedInDatabaseAsync(string heronId) =>
        factory.WithScopeAsync(services => services.GetRequiredService<HeronDbContext>().ApiKeys.AsNoTracking()
            .Where(k => k.HeronId == heronId).Select(k => k.LastUsedAt).SingleAsync());
}
