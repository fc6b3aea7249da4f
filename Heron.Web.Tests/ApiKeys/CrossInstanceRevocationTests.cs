using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Heron.Web.ApiKeys;
using Heron.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Heron.Web.Tests.ApiKeys;

/// <summary>Two instances of the app behind a load balancer: one database, each with its own key cache.</summary>
public abstract class TwoHeronInstances : IAsyncLifetime
{
    public HeronFactory A { get; private set; } = null!;
    public HeronFactory B { get; private set; } = null!;

    protected abstract (HeronFactory First, Func<HeronFactory> Second) Create();

    public Task InitializeAsync()
    {
        var (first, second) = Create();
        // A creates (SQLite) or finds migrated (PostgreSQL) the database before B starts on it.
        A = first;
        A.StartServer();
        B = second();
        B.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
    }
}

/// <summary>Two instances on one SQLite file.</summary>
public sealed class TwoSqliteInstances : TwoHeronInstances
{
    protected override (HeronFactory, Func<HeronFactory>) Create()
    {
        var first = new HeronFactory();
        return (first, first.SecondInstance);
    }
}

/// <summary>Two instances on one PostgreSQL database.</summary>
public sealed class TwoPostgresInstances : TwoHeronInstances
{
    protected override (HeronFactory, Func<HeronFactory>) Create()
    {
        var first = new PostgresHeronFactory();
        return (first, first.SecondInstance);
    }
}

public sealed class CrossInstanceRevocationTests(TwoSqliteInstances instances, ITestOutputHelper output)
    : CrossInstanceRevocation(instances, output), IClassFixture<TwoSqliteInstances>;

public sealed class CrossInstanceRevocationOnPostgresTests(TwoPostgresInstances instances, ITestOutputHelper output)
    : CrossInstanceRevocation(instances, output), IClassFixture<TwoPostgresInstances>;

/// <summary>
/// A lifecycle change made through one instance takes effect there on the very next request, and on every
/// other instance within its change poll interval (50 ms in tests), even for a key that instance has cached.
/// </summary>
public abstract class CrossInstanceRevocation(TwoHeronInstances instances, ITestOutputHelper output)
{
    private const string Hello = "/api/hello_world/authenticated";
    // The guarantee is one poll interval; the bound leaves room for a loaded 2-core CI machine.
    private static readonly TimeSpan CrossInstanceBound = TimeSpan.FromSeconds(1);

    private HeronFactory A => instances.A;
    private HeronFactory B => instances.B;

    [Fact]
    public async Task Deactivation_is_refused_at_once_on_the_serving_instance_and_within_the_poll_interval_on_the_other_and_reactivation_restores_both()
    {
        var (admin, victim) = await ArrangeKeyCachedOnBothAsync();

        var deactivate = await admin.PutAsync($"/api/credentials/keys/{victim.HeronId}/deactivate", null);
        var sinceDeactivation = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, deactivate.StatusCode);

        var nextOnA = await victim.OnA.GetAsync(Hello);
        Assert.Equal(HttpStatusCode.Unauthorized, nextOnA.StatusCode);
        Assert.Contains("deactivated", await DescriptionAsync(nextOnA));

        var (refusedOnB, deactivationDelay) = await PollUntilAsync(victim.OnB, HttpStatusCode.Unauthorized, sinceDeactivation);
        Assert.Contains("deactivated", await DescriptionAsync(refusedOnB));
        output.WriteLine($"Deactivation reached instance B after {deactivationDelay.TotalMilliseconds:F0} ms.");

        var reactivate = await admin.PutAsync($"/api/credentials/keys/{victim.HeronId}/activate", null);
        var sinceReactivation = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, reactivate.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await victim.OnA.GetAsync(Hello)).StatusCode);
        var (_, reactivationDelay) = await PollUntilAsync(victim.OnB, HttpStatusCode.OK, sinceReactivation);
        output.WriteLine($"Reactivation reached instance B after {reactivationDelay.TotalMilliseconds:F0} ms.");
    }

    [Fact]
    public async Task Deletion_is_refused_at_once_on_the_serving_instance_and_within_the_poll_interval_on_the_other_as_deleted()
    {
        var (admin, victim) = await ArrangeKeyCachedOnBothAsync();

        var delete = await admin.DeleteAsync($"/api/credentials/keys/{victim.HeronId}");
        var sinceDeletion = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);

        var nextOnA = await victim.OnA.GetAsync(Hello);
        Assert.Equal(HttpStatusCode.Unauthorized, nextOnA.StatusCode);
        Assert.Contains("deleted", await DescriptionAsync(nextOnA));

        var (refusedOnB, deletionDelay) = await PollUntilAsync(victim.OnB, HttpStatusCode.Unauthorized, sinceDeletion);
        Assert.Contains("deleted", await DescriptionAsync(refusedOnB));
        output.WriteLine($"Deletion reached instance B after {deletionDelay.TotalMilliseconds:F0} ms.");
    }

    private sealed record Victim(string HeronId, HttpClient OnA, HttpClient OnB);

    /// <summary>An admin key on A, and a victim key that has authenticated on both instances (so both cache it).</summary>
    private async Task<(HttpClient Admin, Victim Victim)> ArrangeKeyCachedOnBothAsync()
    {
        var slug = await A.OnboardAsync();
        var admin = A.ClientWithKey(await A.IssueKeyAsync(slug, name: "admin"));
        var token = await A.IssueKeyAsync(slug, name: "victim");
        var victim = new Victim(await HeronIdAsync(admin, "victim"), A.ClientWithKey(token), B.ClientWithKey(token));

        Assert.Equal(HttpStatusCode.OK, (await victim.OnA.GetAsync(Hello)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await victim.OnB.GetAsync(Hello)).StatusCode);

        // Both instances have refused a key before, so the delays measured are propagation, not a first 401's JIT.
        var stranger = ApiKeyToken.Generate();
        Assert.Equal(HttpStatusCode.Unauthorized, (await A.ClientWithKey(stranger).GetAsync(Hello)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await B.ClientWithKey(stranger).GetAsync(Hello)).StatusCode);
        return (admin, victim);
    }

    /// <summary>Asks again every few milliseconds until the answer is <paramref name="wanted"/>; fails past the bound.</summary>
    private static async Task<(HttpResponseMessage Response, TimeSpan Elapsed)> PollUntilAsync(
        HttpClient client, HttpStatusCode wanted, Stopwatch since)
    {
        while (true)
        {
            var response = await client.GetAsync(Hello);
            if (response.StatusCode == wanted)
            {
                var elapsed = since.Elapsed;
                Assert.True(elapsed <= CrossInstanceBound, $"Instance B answered {wanted} only after {elapsed.TotalMilliseconds:F0} ms.");
                return (response, elapsed);
            }
            Assert.True(since.Elapsed <= CrossInstanceBound,
                $"Instance B still answered {response.StatusCode} after {since.Elapsed.TotalMilliseconds:F0} ms.");
            await Task.Delay(TimeSpan.FromMilliseconds(5));
        }
    }

    private static async Task<string> HeronIdAsync(HttpClient admin, string name)
    {
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/credentials/keys");
        return list.GetProperty("keys").EnumerateArray()
            .Single(k => k.GetProperty("name").GetString() == name)
            .GetProperty("heron_id").GetString()!;
    }

    private static async Task<string> DescriptionAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("description").GetString()!;
}
