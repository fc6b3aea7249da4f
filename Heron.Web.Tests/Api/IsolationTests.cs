using System.Net;
using Heron.Web.Organizations;
using Heron.Web.Tests.Infrastructure;

namespace Heron.Web.Tests.Api;

/// <summary>
/// A key acts only on the keys of its own organization and realm. Anyone else's <c>heron_id</c> answers 404,
/// exactly like one that never existed, and the key it names keeps working.
/// </summary>
public sealed class IsolationTests(HeronFactory factory) : IClassFixture<HeronFactory>
{
    [Fact]
    public async Task A_key_cannot_see_or_touch_another_organizations_keys()
    {
        var (_, tokenA) = await factory.OnboardWithKeyAsync("A's key");
        var (_, tokenB) = await factory.OnboardWithKeyAsync("B's key");

        await AssertIsolatedAsync(tokenA, tokenB);
    }

    [Fact]
    public async Task A_development_key_and_a_production_key_of_one_organization_cannot_touch_each_other()
    {
        var slug = await factory.OnboardAsync();
        await factory.GrantProductionAsync(slug);
        var devToken = await factory.IssueKeyAsync(slug, RealmKind.Development, "dev key");
        var prodToken = await factory.IssueKeyAsync(slug, RealmKind.Production, "prod key");

        using (var prod = factory.ClientWithKey(prodToken))
        using (var hello = await prod.GetAsync("/api/hello_world/authenticated"))
        {
            Assert.Contains("\"environment\":\"prod\"", await hello.Content.ReadAsStringAsync());
        }
        await AssertIsolatedAsync(devToken, prodToken);
    }

    [Fact]
    public async Task Keys_created_through_a_production_key_stay_in_production()
    {
        var slug = await factory.OnboardAsync();
        await factory.GrantProductionAsync(slug);
        using var dev = factory.KeysApi(await factory.IssueKeyAsync(slug, RealmKind.Development));
        using var prod = factory.KeysApi(await factory.IssueKeyAsync(slug, RealmKind.Production));

        var created = await prod.CreateAsync("made in prod");
        using var madeInProd = factory.ClientWithKey(created.GetProperty("token").GetString()!);
        using var hello = await madeInProd.GetAsync("/api/hello_world/authenticated");

        Assert.Contains("\"environment\":\"prod\"", await hello.Content.ReadAsStringAsync());
        Assert.NotNull(await prod.FindAsync(created.GetProperty("heron_id").GetString()!));
        Assert.Null(await dev.FindAsync(created.GetProperty("heron_id").GetString()!));
    }

    /// <summary>Each side lists only its own keys and gets 404 for every operation on the other's; the other's key still works.</summary>
    private async Task AssertIsolatedAsync(string tokenA, string tokenB)
    {
        using var a = factory.KeysApi(tokenA);
        using var b = factory.KeysApi(tokenB);
        var idA = await factory.HeronIdOfAsync(tokenA);
        var idB = await factory.HeronIdOfAsync(tokenB);

        var listA = (await a.ListAsync()).Select(k => k.GetProperty("heron_id").GetString()).ToList();
        var listB = (await b.ListAsync()).Select(k => k.GetProperty("heron_id").GetString()).ToList();
        Assert.Equal([idA], listA);
        Assert.Equal([idB], listB);

        foreach (var (actor, victimId, victimToken) in new[] { (a, idB, tokenB), (b, idA, tokenA) })
        {
            foreach (var attempt in new Func<string, Task<HttpResponseMessage>>[] { actor.DeactivateAsync, actor.ActivateAsync, actor.DeleteAsync })
            {
                using var response = await attempt(victimId);
                Assert.Equal("Key not found", await ApiAssert.SentenceEnvelopeAsync(response, HttpStatusCode.NotFound, "Not Found"));
            }
            using var victim = factory.KeysApi(victimToken);
            var stillThere = await victim.FindAsync(victimId);
            Assert.NotNull(stillThere);
            Assert.True(stillThere.Value.GetProperty("is_active").GetBoolean());
            using var works = await victim.Client.GetAsync("/api/hello_world/authenticated");
            Assert.Equal(HttpStatusCode.OK, works.StatusCode);
        }
    }
}
