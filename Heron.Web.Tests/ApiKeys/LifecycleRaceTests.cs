using System.Net;
using Heron.Web.ApiKeys;
using Heron.Web.Data;
using Heron.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.ApiKeys;

/// <summary>Deletion is final even when a reactivation races it.</summary>
public abstract class LifecycleRaces(HeronFactory factory)
{
    private const string Keys = "/api/credentials/keys";

    [Fact]
    public async Task Reactivating_and_deleting_a_key_at_once_never_brings_the_deleted_key_back()
    {
        var (slug, admin) = await factory.OnboardWithKeyAsync();
        var client = factory.ClientWithKey(admin);
        for (var round = 0; round < 25; round++)
        {
            var victim = await factory.IssueKeyAsync(slug);
            var id = await factory.HeronIdOfAsync(victim);
            Assert.Equal(HttpStatusCode.OK, (await factory.ClientWithKey(victim).GetAsync("/api/hello_world/authenticated")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsync($"{Keys}/{id}/deactivate", null)).StatusCode);

            var activate = client.PutAsync($"{Keys}/{id}/activate", null);
            var delete = client.DeleteAsync($"{Keys}/{id}");
            await Task.WhenAll(activate, delete);

            Assert.Equal(HttpStatusCode.NoContent, (await delete).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await factory.ClientWithKey(victim).GetAsync("/api/hello_world/authenticated")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsync($"{Keys}/{id}/activate", null)).StatusCode);
            var row = await factory.WithScopeAsync(s => s.GetRequiredService<HeronDbContext>().ApiKeys.AsNoTracking().SingleAsync(k => k.HeronId == id));
            Assert.NotNull(row.DeletedAt);
            Assert.False(row.IsActive);
            var events = await factory.WithScopeAsync(s => s.GetRequiredService<HeronDbContext>().ApiKeyEvents.AsNoTracking()
                .Where(e => e.ApiKeyId == row.Id).OrderBy(e => e.Id).Select(e => e.Kind).ToListAsync());
            Assert.Equal(ApiKeyEventKind.Deleted, events[^1]);
        }
    }
}

public sealed class LifecycleRaceTests(HeronFactory factory) : LifecycleRaces(factory), IClassFixture<HeronFactory>;

public sealed class LifecycleRaceOnPostgresTests(PostgresHeronFactory factory) : LifecycleRaces(factory), IClassFixture<PostgresHeronFactory>;
