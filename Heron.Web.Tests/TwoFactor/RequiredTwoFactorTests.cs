using System.Net;
using Heron.Web.Accounts;
using Heron.Web.Data;
using Heron.Web.Organizations;
using Heron.Testing;
using Heron.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.TwoFactor;

public sealed class RequiredTwoFactorTests(MailingHeronFactory factory) : IClassFixture<MailingHeronFactory>
{
    private const string OperatorPassword = "an-operator-password";
    private const string Password = "a-long-production-password";

    [Fact]
    public async Task An_operator_without_two_factor_reaches_nothing_in_admin_until_enrolled()
    {
        var email = await factory.CreateOperatorAsync(OperatorPassword);
        var client = factory.Dashboard();

        var signIn = await client.SignInAsOperatorAsync(email, OperatorPassword);

        Assert.StartsWith(TwoFactorSignIn.SecondStep, signIn.Headers.Location!.ToString());
        var enrolment = await client.Http.GetStringAsync(signIn.Headers.Location);
        Assert.Contains("Heron operators must sign in with an authenticator app", enrolment);
        Assert.DoesNotContain("Use a recovery code", enrolment);
        foreach (var page in new[] { "/admin", "/admin/two-factor", "/admin/production-requests" })
        {
            var response = await client.Http.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/admin/login", response.Headers.Location!.ToString());
        }
        var key = TwoFactorSignIn.SetupKeyOf(enrolment);
        Assert.Contains("does not match", await (await client.SecondFactorAsync(Totp.WrongCode(key), "/admin")).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("/admin")).StatusCode);

        var enrolled = await client.SecondFactorAsync(Totp.Code(key), "/admin");
        var html = await enrolled.Content.ReadAsStringAsync();
        Assert.Equal(10, TwoFactorSignIn.RecoveryCodesOf(html).Count);
        Assert.Contains("href=\"/admin\"", html);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/admin")).StatusCode);
        await factory.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == email) && (m.Subject ?? "").StartsWith("Two-factor sign-in is on"));

        // Operators cannot turn it off, and their next sign-in asks for a code.
        var settings = await client.Http.GetStringAsync("/admin/two-factor");
        Assert.Contains("Heron operators must use two-factor sign-in", settings);
        Assert.DoesNotContain("id=\"disable\"", settings);
        var refused = await client.PostFormAsync("/admin/two-factor", "/admin/two-factor?handler=Disable",
            new() { ["Password"] = OperatorPassword, ["Code"] = Totp.Code(key) });
        Assert.Contains("cannot be turned off", await refused.Content.ReadAsStringAsync());
        Assert.True((await UserAsync(email)).TwoFactorEnabled);
        var next = factory.Dashboard();
        Assert.Equal("/admin", (await next.SignInAsOperatorAsync(email, OperatorPassword, key)).Headers.Location!.ToString());
    }

    [Fact]
    public async Task An_operator_can_require_two_factor_for_a_production_realm_and_its_accounts_enrol_at_their_next_sign_in()
    {
        var (slug, email) = await factory.AccountAsync("a-long-development-password");
        await factory.GrantProductionAsync(slug);
        await factory.AccountAsync(Password, RealmKind.Production, slug, email);
        var customer = factory.Dashboard();
        Assert.Equal("/prod/settings/api-credentials", (await customer.SignInAsync(email, Password, "prod")).Headers.Location!.ToString());

        var operatorEmail = await factory.CreateOperatorAsync(OperatorPassword);
        var console = factory.Dashboard();
        await console.SignInAsNewOperatorAsync(operatorEmail, OperatorPassword);
        var details = await console.Http.GetStringAsync($"/admin/organizations/{slug}");
        Assert.Contains("id=\"require-two-factor\"", details);
        var required = await console.PostFormAsync($"/admin/organizations/{slug}", $"/admin/organizations/{slug}?handler=TwoFactor", new() { ["required"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, required.StatusCode);
        Assert.Contains("id=\"stop-requiring-two-factor\"", await console.Http.GetStringAsync($"/admin/organizations/{slug}"));

        var next = factory.Dashboard();
        var signIn = await next.SignInAsync(email, Password, "prod");
        Assert.StartsWith(TwoFactorSignIn.SecondStep, signIn.Headers.Location!.ToString());
        var enrolment = await next.Http.GetStringAsync(signIn.Headers.Location);
        Assert.Contains("Heron requires two-factor sign-in for this realm", enrolment);
        Assert.Equal(HttpStatusCode.Redirect, (await next.Http.GetAsync("/prod/settings/api-credentials")).StatusCode);
        var key = TwoFactorSignIn.SetupKeyOf(enrolment);
        var enrolled = await next.SecondFactorAsync(Totp.Code(key), "/prod/settings/api-credentials");
        Assert.Equal(10, TwoFactorSignIn.RecoveryCodesOf(await enrolled.Content.ReadAsStringAsync()).Count);
        Assert.Equal(HttpStatusCode.OK, (await next.Http.GetAsync("/prod/settings/api-credentials")).StatusCode);

        // The development realm is not affected, and production's audit log names the operator.
        Assert.Equal("/dev/settings/api-credentials", (await factory.Dashboard().SignInAsync(email, "a-long-development-password")).Headers.Location!.ToString());
        var log = WebUtility.HtmlDecode(await next.Http.GetStringAsync("/prod/settings/audit-log"));
        Assert.Contains("Two-factor sign-in required by Heron", log);
        Assert.Contains(operatorEmail, log);
        Assert.Contains("Two-factor sign-in turned on", log);
        var off = await next.PostFormAsync("/prod/settings/two-factor", "/prod/settings/two-factor?handler=Disable",
            new() { ["Password"] = Password, ["Code"] = Totp.Code(key) });
        Assert.Contains("cannot be turned off", await off.Content.ReadAsStringAsync());
    }

    private Task<HeronUser> UserAsync(string email) =>
        factory.WithScopeAsync(s => s.GetRequiredService<HeronDbContext>().Users.AsNoTracking().SingleAsync(u => u.Email == email));
}
