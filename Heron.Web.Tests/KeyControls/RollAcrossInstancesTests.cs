using System.Net;
using Heron.Web.Tests.Infrastructure;

namespace Heron.Web.Tests.KeyControls;

/// <summary>A roll made on one instance reaches another that shares the database, through the change feed.</summary>
public sealed class RollAcrossInstancesTests(HeronFactory factory) : IClassFixture<HeronFactory>
{
    private const string Hello = "/api/hello_world/authenticated";

    [Fact]
    public async Task A_roll_reaches_another_instance_that_has_the_old_key_cached()
    {
        var (_, bootstrap) = await factory.OnboardWithKeyAsync();
        using var admin = factory.KeysApi(bootstrap);
        var old = await admin.CreateWithAsync(new { name = "shared" });
        await using var second = factory.SecondInstance();
        using var onSecond = second.ClientWithKey(old.Str("token"));
        using (var warm = await onSecond.GetAsync(Hello))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        await admin.RollAsync(old.Str("heron_id"), graceSeconds: 0);

        await Eventually.TrueAsync(async () =>
        {
            using var response = await onSecond.GetAsync(Hello);
            return response.StatusCode == HttpStatusCode.Unauthorized;
        }, because: "the second instance applies the roll from the change feed");
    }
}
