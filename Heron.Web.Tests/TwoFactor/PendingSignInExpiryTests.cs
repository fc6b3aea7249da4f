using System.Net;
using System.Text.RegularExpressions;
using Heron.Testing;
using Heron.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.TwoFactor;

/// <summary>The app with a clock the test can move forward, for what expires.</summary>
public sealed class ShiftedClockFactory : MailingHeronFactory
{
    public ShiftedClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Shift { get; set; }
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Shift;
    }
}

public sealed partial class PendingSignInExpiryTests(ShiftedClockFactory factory) : IClassFixture<ShiftedClockFactory>
{
    private const string Password = "a-long-customer-password";

    [Fact]
    public async Task A_pending_second_factor_expires_after_five_minutes_and_sends_back_to_the_password()
    {
        var (_, email) = await factory.AccountAsync(Password);
        var enrolling = factory.Dashboard();
        await enrolling.SignInAsync(email, Password);
        var (key, _) = await enrolling.EnrolAsync("/dev/settings/two-factor");

        var client = factory.Dashboard();
        await client.SignInAsync(email, Password);
        factory.Clock.Shift = TimeSpan.FromMinutes(4);
        var form = await client.Http.GetStringAsync(TwoFactorSignIn.SecondStep);
        var antiforgery = WebUtility.HtmlDecode(AntiforgeryToken().Match(form).Groups[1].Value);

        factory.Clock.Shift = TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1);
        var late = await client.Http.PostAsync(TwoFactorSignIn.SecondStep, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Code"] = Totp.Code(key, DateTimeOffset.UtcNow + factory.Clock.Shift),
            ["__RequestVerificationToken"] = antiforgery,
        }));

        Assert.Equal(HttpStatusCode.Redirect, late.StatusCode);
        Assert.Equal("/account/login", late.Headers.Location!.ToString());
        Assert.Contains("Your sign-in expired", await client.Http.GetStringAsync("/account/login"));
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("/dev/settings/api-credentials")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync(TwoFactorSignIn.SecondStep)).StatusCode);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
