using Heron.Web.Audit;
using Heron.Web.Common;
using Heron.Web.Data;
using Heron.Web.Organizations;
using Heron.Web.Production;
using Heron.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.Production;

/// <summary>
/// Two operators approving the same organization at once (two tabs, two instances): one production realm
/// is provisioned, and the other operator is told it already exists instead of getting an error page.
/// </summary>
public abstract class ProductionGrantRaces(HeronFactory factory)
{
    [Fact]
    public async Task Granting_production_twice_at_once_provisions_one_realm_and_tells_the_second_operator_why()
    {
        for (var round = 0; round < 5; round++)
        {
            var slug = await factory.OnboardAsync();
            var grants = Enumerable.Range(0, 2).Select(i => Task.Run(() => factory.WithScopeAsync(async services =>
            {
                try
                {
                    await services.GetRequiredService<ProductionAccessService>().GrantAsync(slug, Actor.Cli(), $"ops-{i}@example.com", default);
                    return null;
                }
                catch (HeronRuleException ex)
                {
                    return ex.Message;
                }
            }))).ToList();
            var outcomes = await Task.WhenAll(grants);

            Assert.Single(outcomes, o => o is null);
            Assert.Equal($"Organization '{slug}' already has production credentials.", Assert.Single(outcomes, o => o is not null));
            var productionRealms = await factory.WithScopeAsync(s => s.GetRequiredService<HeronDbContext>().Realms
                .CountAsync(r => r.Organization.Slug == slug && r.Kind == RealmKind.Production));
            Assert.Equal(1, productionRealms);
        }
    }
}

public sealed class ProductionGrantRaceTests(HeronFactory factory) : ProductionGrantRaces(factory), IClassFixture<HeronFactory>;

public sealed class ProductionGrantRaceOnPostgresTests(PostgresHeronFactory factory) : ProductionGrantRaces(factory), IClassFixture<PostgresHeronFactory>;
