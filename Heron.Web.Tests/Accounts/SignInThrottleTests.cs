using System.Net;
using Heron.Web.Tests.Infrastructure;

namespace Heron.Web.Tests.Accounts;

/// <summary>The per-address sign-in budget: 429 before any password is hashed, in words a person understands.</summary>
public sealed class SignInThrottleTests(SignInThrottleTests.Factory factory) : IClassFixture<SignInThrottleTests.Factory>
{
    public sealed class Factory : HashCountingHeronFactory
    {
        public Factory() => Settings["SignIn:AttemptsPerMinute"] = "3";
    }

    [Fact]
    public async Task A_client_over_its_budget_gets_429_and_no_password_is_hashed_for_it()
    {
        var (_, email) = await factory.AccountAsync("a-long-dashboard-password");
        var (_, other) = await factory.AccountAsync("a-long-dashboard-password");
        var client = factory.Dashboard();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.SignInAsync(i == 2 ? other : email, "wrong-password-" + i)).StatusCode);
        }
        var hashedBefore = factory.Hasher.Verified;

        var refused = await client.SignInAsync(email, "a-long-dashboard-password");
        var refusedOperator = await client.SignInAsOperatorAsync("ops@heron.test", "whatever-it-is");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedOperator.StatusCode);
        Assert.Equal(hashedBefore, factory.Hasher.Verified);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Matches(@"Too many sign-in attempts from your network\. Try again in \d+ seconds\.", page);
        Assert.Contains("<form", page);
    }
}
