using System.Text.Json;
using Heron.Web.ApiKeys;
using Heron.Web.Audit;
using Heron.Web.Data;
using Heron.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace Heron.Web.Tests.Api;

/// <summary>Every key lifecycle action through the API writes one audit event: what, who (which key), when and from where.</summary>
public sealed class AuditTrailTests(HeronFactory factory) : IClassFixture<HeronFactory>
{
    [Fact]
    public async Task Each_lifecycle_action_writes_one_event_naming_the_acting_key_and_client()
    {
        var (_, admin) = await factory.OnboardWithKeyAsync();
        var actorId = await factory.HeronIdOfAsync(admin);
        var key = new StringValues(admin);
        var start = DateTime.UtcNow.AddSeconds(-1);

        var created = await factory.SendRawAsync("POST", KeysApi.Path, key, """{"name": "audited"}""");
        Assert.Equal(201, created.StatusCode);
        var targetId = JsonDocument.Parse(created.Body).RootElement.GetProperty("heron_id").GetString()!;
        Assert.Equal(200, (await factory.SendRawAsync("PUT", $"{KeysApi.Path}/{targetId}/deactivate", key)).StatusCode);
        Assert.Equal(200, (await factory.SendRawAsync("PUT", $"{KeysApi.Path}/{targetId}/activate", key)).StatusCode);
        Assert.Equal(204, (await factory.SendRawAsync("DELETE", $"{KeysApi.Path}/{targetId}", key)).StatusCode);
        var end = DateTime.UtcNow.AddSeconds(1);

        var events = await EventsOfAsync(targetId);
        Assert.Equal(
            [ApiKeyEventKind.Created, ApiKeyEventKind.Deactivated, ApiKeyEventKind.Reactivated, ApiKeyEventKind.Deleted],
            events.Select(e => e.Kind));
        Assert.All(events, e =>
        {
            Assert.Equal(ActorKind.ApiKey, e.ActorKind);
            Assert.Contains(actorId, e.ActorName);
            Assert.Equal(RawRequests.ClientIp.ToString(), e.ClientIp);
            Assert.InRange(e.OccurredAt, start, end);
            Assert.Equal(DateTimeKind.Utc, e.OccurredAt.Kind);
        });
        Assert.Equal(events.Select(e => e.OccurredAt).Order(), events.Select(e => e.OccurredAt));
        Assert.False(events.Any(e => e.ActorName.Contains(admin, StringComparison.Ordinal)), "An audit entry contains the acting token.");
    }

    [Fact]
    public async Task A_key_created_through_the_api_records_its_creator()
    {
        var (_, admin) = await factory.OnboardWithKeyAsync();
        var actorId = await factory.HeronIdOfAsync(admin);
        using var api = factory.KeysApi(admin);

        var targetId = (await api.CreateAsync("with creator")).GetProperty("heron_id").GetString()!;

        var createdBy = await factory.WithScopeAsync(services => services.GetRequiredService<HeronDbContext>().ApiKeys
            .Where(k => k.HeronId == targetId).Select(k => k.CreatedBy).SingleAsync());
        Assert.Contains(actorId, createdBy);
    }

    [Fact]
    public async Task Actions_that_change_nothing_write_no_event()
    {
        var (_, admin) = await factory.OnboardWithKeyAsync();
        using var api = factory.KeysApi(admin);
        var targetId = (await api.CreateAsync("idle")).GetProperty("heron_id").GetString()!;

        (await api.ActivateAsync(targetId)).Dispose();     // already active
        (await api.DeactivateAsync(targetId)).Dispose();   // one real change
        (await api.DeactivateAsync(targetId)).Dispose();   // already deactivated
        (await api.DeactivateAsync(targetId)).Dispose();   // and again
        (await api.DeactivateAsync("apk_0000000000000000000000")).Dispose(); // no such key

        Assert.Equal([ApiKeyEventKind.Created, ApiKeyEventKind.Deactivated], (await EventsOfAsync(targetId)).Select(e => e.Kind));
    }

    [Fact]
    public async Task Rejected_and_refused_requests_write_no_event()
    {
        var (_, admin) = await factory.OnboardWithKeyAsync();
        var (_, stranger) = await factory.OnboardWithKeyAsync();
        using var api = factory.KeysApi(admin);
        var targetId = (await api.CreateAsync("guarded")).GetProperty("heron_id").GetString()!;
        using var strangerApi = factory.KeysApi(stranger);

        (await strangerApi.DeactivateAsync(targetId)).Dispose();
        (await strangerApi.DeleteAsync(targetId)).Dispose();
        Assert.Equal(401, (await factory.SendRawAsync("PUT", $"{KeysApi.Path}/{targetId}/deactivate", apiKey: null)).StatusCode);
        (await api.CreateResponseAsync("""{"name": ""}""")).Dispose();

        Assert.Equal([ApiKeyEventKind.Created], (await EventsOfAsync(targetId)).Select(e => e.Kind));
    }

    private Task<List<ApiKeyEvent>> EventsOfAsync(string heronId) =>
        factory.WithScopeAsync(services => services.GetRequiredService<HeronDbContext>().ApiKeyEvents.AsNoTracking()
            .Where(e => e.ApiKey.HeronId == heronId).OrderBy(e => e.Id).ToListAsync());
}
