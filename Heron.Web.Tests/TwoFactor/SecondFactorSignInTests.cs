using System.Net;
using Heron.Web.Accounts;
using Heron.Web.Data;
using Heron.Web.Organizations;
using Heron.Testing;
using Heron.Web.Tests.Infrastructure;
using Heron.Web.TwoFactor;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.TwoFactor;

public sealed class SecondFactorSignInTests(MailingHeronFactory factory) : IClassFixture<MailingHeronFactory>
{
    private const string Password = "a-long-customer-password";
    private const string Settings = "/dev/settings/two-factor";

    [Fact]
    public async Task The_right_password_alone_starts_no_session_and_the_right_code_does()
    {
        var (email, key, _) = await EnrolledAccountAsync();
        var client = factory.Dashboard();

        var signIn = await client.SignInAsync(email, Password);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.StartsWith(TwoFactorSignIn.SecondStep, signIn.Headers.Location!.ToString());
        var setCookies = string.Join("\n", signIn.Headers.GetValues("Set-Cookie"));
        Assert.DoesNotContain(RealmSchemes.CookieName(RealmKind.Development), setCookies);
        Assert.Contains(PendingSignIn.CookieName, setCookies);
        Assert.DoesNotContain(Password, setCookies);
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("/dev/settings/api-credentials")).StatusCode);
        Assert.Contains("Use a recovery code", await client.Http.GetStringAsync(signIn.Headers.Location));

        // The code that confirmed the enrolment is spent; the app's next one signs in.
        var code = Totp.NextCode(key);
        var second = await client.SecondFactorAsync(code, "/dev/settings/team");

        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal("/dev/settings/team", second.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/dev/settings/api-credentials")).StatusCode);
        // The pending state is spent: it cannot start a second session.
        Assert.Contains(PendingSignIn.CookieName + "=;", string.Join("\n", second.Headers.GetValues("Set-Cookie")));
        // Each code works once: seen over a shoulder, it is already spent.
        var replay = factory.Dashboard();
        await replay.SignInAsync(email, Password);
        Assert.Contains("already used", (await (await replay.SecondFactorAsync(code)).Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Redirect, (await replay.Http.GetAsync("/dev/settings/api-credentials")).StatusCode);
    }

    [Fact]
    public async Task Wrong_codes_count_towards_the_lockout_and_then_even_the_right_code_is_refused_and_the_owner_is_told()
    {
        var (email, key, _) = await EnrolledAccountAsync();
        var client = factory.Dashboard();
        await client.SignInAsync(email, Password);

        for (var i = 0; i < 4; i++)
        {
            var wrong = await client.SecondFactorAsync(Totp.WrongCode(key));
            Assert.Contains("That code does not match", WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync()));
        }
        Assert.Equal(4, (await UserAsync(email)).AccessFailedCount);
        var fifth = await client.SecondFactorAsync(Totp.WrongCode(key));
        Assert.Contains("locked", await fifth.Content.ReadAsStringAsync());
        Assert.NotNull((await UserAsync(email)).LockoutEnd);

        var right = await client.SecondFactorAsync(Totp.Code(key));
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("locked", await right.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("/dev/settings/api-credentials")).StatusCode);
        await factory.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == email) && (m.Subject ?? "").Contains("was locked"));
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once_and_fails_the_second_time()
    {
        var (email, _, codes) = await EnrolledAccountAsync();

        var first = factory.Dashboard();
        await first.SignInAsync(email, Password);
        // Typed as people do: lower case, spaces around it.
        var used = await first.RecoveryCodeAsync($"  {codes[3].ToLowerInvariant()} ");
        Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.Http.GetAsync("/dev/settings/api-credentials")).StatusCode);
        Assert.Contains("9 of 10 recovery codes left", await first.Http.GetStringAsync(Settings));
        await factory.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == email) && (m.Subject ?? "").StartsWith("A recovery code was used"));

        var second = factory.Dashboard();
        await second.SignInAsync(email, Password);
        var again = await second.RecoveryCodeAsync(codes[3]);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("already used", await again.Content.ReadAsStringAsync());
        Assert.Equal(1, (await UserAsync(email)).AccessFailedCount);
        Assert.Equal(HttpStatusCode.Redirect, (await second.Http.GetAsync("/dev/settings/api-credentials")).StatusCode);
    }

    [Fact]
    public async Task The_second_step_is_bound_to_its_pending_account_and_is_refused_without_one_or_with_a_forged_one()
    {
        await EnrolledAccountAsync();
        var stranger = factory.Dashboard();

        var none = await stranger.Http.GetAsync(TwoFactorSignIn.SecondStep);
        Assert.Equal(HttpStatusCode.Redirect, none.StatusCode);
        Assert.Equal("/account/login", none.Headers.Location!.ToString());

        var forged = new HttpRequestMessage(HttpMethod.Get, TwoFactorSignIn.SecondStep);
        forged.Headers.Add("Cookie", $"{PendingSignIn.CookieName}=not-a-protected-value");
        Assert.Equal(HttpStatusCode.Redirect, (await stranger.Http.SendAsync(forged)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await stranger.Http.GetAsync("/dev/settings/api-credentials")).StatusCode);
    }

    [Fact]
    public async Task A_production_account_with_two_factor_gets_the_second_step_and_lands_in_production()
    {
        var (slug, email) = await factory.AccountAsync(Password);
        await factory.GrantProductionAsync(slug);
        await factory.AccountAsync("a-long-production-password", RealmKind.Production, slug, email);
        var client = factory.Dashboard();
        await client.SignInAsync(email, "a-long-production-password", "prod");
        var (key, _) = await client.EnrolAsync("/prod/settings/two-factor");

        var again = factory.Dashboard();
        var signIn = await again.SignInAsync(email, "a-long-production-password", "prod");
        Assert.StartsWith(TwoFactorSignIn.SecondStep, signIn.Headers.Location!.ToString());
        var second = await again.SecondFactorAsync(Totp.NextCode(key), "/dev/settings/team");
        // A return address in another realm is ignored.
        Assert.Equal("/prod/settings/api-credentials", second.Headers.Location!.ToString());
        // The development account of the same email has no two-factor and signs in with its password.
        Assert.Equal("/dev/settings/api-credentials", (await factory.Dashboard().SignInAsync(email, Password)).Headers.Location!.ToString());
    }

    private async Task<(string Email, string Key, List<string> Codes)> EnrolledAccountAsync()
    {
        var (_, email) = await factory.AccountAsync(Password);
        var client = factory.Dashboard();
        await client.SignInAsync(email, Password);
        var (key, codes) = await client.EnrolAsync(Settings);
        return (email, key, codes);
    }

    private Task<HeronUser> UserAsync(string email) =>
        factory.WithScopeAsync(s => s.GetRequiredService<HeronDbContext>().Users.AsNoTracking().SingleAsync(u => u.Email == email));
}
