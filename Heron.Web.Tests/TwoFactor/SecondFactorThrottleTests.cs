using System.Net;
using Heron.Testing;
using Heron.Web.Tests.Infrastructure;

namespace Heron.Web.Tests.TwoFactor;

/// <summary>Second-factor codes spend the client's sign-in budget, as passwords do: no unlimited guessing past the password.</summary>
public sealed class SecondFactorThrottleTests(SecondFactorThrottleTests.Factory factory) : IClassFixture<SecondFactorThrottleTests.Factory>
{
    public sealed class Factory : MailingHeronFactory
    {
        public Factory() => Settings["SignIn:AttemptsPerMinute"] = "3";
    }

    private const string Password = "a-long-customer-password";

    [Fact]
    public async Task Wrong_codes_beyond_the_budget_get_429_on_both_second_steps()
    {
        var (_, email) = await factory.AccountAsync(Password);
        var enrolling = factory.Dashboard();
        await enrolling.SignInAsync(email, Password);
        var (key, codes) = await enrolling.EnrolAsync("/dev/settings/two-factor");

        var client = factory.Dashboard();
        // A right password is not a failure: it spends nothing.
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(email, Password)).StatusCode);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.SecondFactorAsync(Totp.WrongCode(key))).StatusCode);
        }

        var refused = await client.SecondFactorAsync(Totp.NextCode(key));
        var refusedRecovery = await client.RecoveryCodeAsync(codes[0]);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Matches(@"Too many sign-in attempts from your network\. Try again in \d+ seconds\.", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedRecovery.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("/dev/settings/api-credentials")).StatusCode);
    }
}
