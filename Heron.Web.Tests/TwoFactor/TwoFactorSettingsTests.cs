using System.Net;
using Heron.Web.Accounts;
using Heron.Web.Data;
using Heron.Testing;
using Heron.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.TwoFactor;

public sealed class TwoFactorSettingsTests(MailingHeronFactory factory) : IClassFixture<MailingHeronFactory>
{
    private const string Password = "a-long-customer-password";
    private const string Page = "/dev/settings/two-factor";

    [Fact]
    public async Task Enrolling_shows_a_server_drawn_QR_code_and_the_setup_key_and_the_authenticator_uri_names_the_account_and_realm()
    {
        var (slug, email) = await factory.AccountAsync(Password);
        var client = factory.Dashboard();
        await client.SignInAsync(email, Password);
        Assert.Contains("id=\"set-up\"", await client.Http.GetStringAsync(Page));

        await client.PostFormAsync(Page, $"{Page}?handler=SetUp", new());
        var html = await client.Http.GetStringAsync(Page);

        var svg = html[html.IndexOf("<svg", StringComparison.Ordinal)..(html.IndexOf("</svg>", StringComparison.Ordinal) + 6)];
        Assert.Contains("<rect", svg);
        // Nothing a strict Content-Security-Policy would block: no script, no inline style.
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("style=", svg);
        var key = TwoFactorSignIn.SetupKeyOf(html);
        Assert.Matches("^([a-z2-7]{4} )+[a-z2-7]{1,4}$", key);
        var uri = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "id=\"authenticator-link\" href=\"([^\"]+)\"").Groups[1].Value);
        Assert.StartsWith("otpauth://totp/", uri);
        var decoded = Uri.UnescapeDataString(uri);
        Assert.Contains($"Heron:{email} ({slug}-dev)", decoded);
        Assert.Contains("issuer=Heron", decoded);
        Assert.Contains($"secret={key.Replace(" ", "").ToUpperInvariant()}", uri);
        // Setting up alone changes nothing at sign-in until a code confirms it.
        Assert.Equal("/dev/settings/api-credentials", (await factory.Dashboard().SignInAsync(email, Password)).Headers.Location!.ToString());
    }

    [Fact]
    public async Task Enrolling_needs_a_right_code_then_shows_ten_recovery_codes_once_stores_only_their_hashes_mails_and_audits()
    {
        var (_, email) = await factory.AccountAsync(Password);
        var client = factory.Dashboard();
        await client.SignInAsync(email, Password);
        await client.PostFormAsync(Page, $"{Page}?handler=SetUp", new());
        var key = TwoFactorSignIn.SetupKeyOf(await client.Http.GetStringAsync(Page));

        var wrong = await client.PostFormAsync(Page, $"{Page}?handler=Enable", new() { ["Code"] = Totp.WrongCode(key) });
        Assert.Contains("That code does not match", await wrong.Content.ReadAsStringAsync());
        Assert.False((await UserAsync(email)).TwoFactorEnabled);

        var enabled = await client.PostFormAsync(Page, $"{Page}?handler=Enable", new() { ["Code"] = Totp.Code(key) });
        var html = await enabled.Content.ReadAsStringAsync();
        var codes = TwoFactorSignIn.RecoveryCodesOf(html);
        Assert.Equal(10, codes.Distinct().Count());
        Assert.Contains("no-store", enabled.Headers.CacheControl!.ToString());
        // This session continues (the security stamp changed under it); the codes are not shown again.
        var again = await client.Http.GetStringAsync(Page);
        Assert.Contains("10 of 10 recovery codes left", again);
        Assert.Empty(TwoFactorSignIn.RecoveryCodesOf(again));

        Assert.True((await UserAsync(email)).TwoFactorEnabled);
        var stored = await StoredRecoveryCodesAsync(email);
        Assert.All(codes, c => Assert.DoesNotContain(c, stored));
        Assert.All(codes, c => Assert.DoesNotContain(c, factory.Log.AllText()));
        Assert.DoesNotContain(key.Replace(" ", "").ToUpperInvariant(), factory.Log.AllText());

        var mail = await factory.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == email) && (m.Subject ?? "").StartsWith("Two-factor sign-in is on"));
        Assert.All(codes, c => Assert.DoesNotContain(c, mail.TextBody));
        Assert.Contains("Two-factor sign-in turned on", WebUtility.HtmlDecode(await client.Http.GetStringAsync("/dev/settings/audit-log")));
    }

    [Fact]
    public async Task Turning_it_off_needs_both_the_password_and_a_current_code_and_a_wrong_pair_counts_towards_lockout()
    {
        var (_, email) = await factory.AccountAsync(Password);
        var client = factory.Dashboard();
        await client.SignInAsync(email, Password);
        var (key, _) = await client.EnrolAsync(Page);

        var noCode = await client.PostFormAsync(Page, $"{Page}?handler=Disable", new() { ["Password"] = Password, ["Code"] = Totp.WrongCode(key) });
        Assert.Contains("That code does not match", await noCode.Content.ReadAsStringAsync());
        var wrongPassword = await client.PostFormAsync(Page, $"{Page}?handler=Disable", new() { ["Password"] = "not-the-password-at-all", ["Code"] = Totp.Code(key) });
        Assert.Contains("Wrong password.", await wrongPassword.Content.ReadAsStringAsync());
        Assert.True((await UserAsync(email)).TwoFactorEnabled);
        Assert.Equal(2, (await UserAsync(email)).AccessFailedCount);

        var disabled = await client.PostFormAsync(Page, $"{Page}?handler=Disable", new() { ["Password"] = Password, ["Code"] = Totp.NextCode(key) });
        Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);
        var user = await UserAsync(email);
        Assert.False(user.TwoFactorEnabled);
        Assert.Equal("", await StoredRecoveryCodesAsync(email));
        Assert.Contains("id=\"set-up\"", await client.Http.GetStringAsync(Page));
        await factory.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == email) && (m.Subject ?? "").StartsWith("Two-factor sign-in is off"));
        Assert.Equal("/dev/settings/api-credentials", (await factory.Dashboard().SignInAsync(email, Password)).Headers.Location!.ToString());
    }

    [Fact]
    public async Task New_recovery_codes_need_a_code_and_the_old_ones_stop_working()
    {
        var (_, email) = await factory.AccountAsync(Password);
        var client = factory.Dashboard();
        await client.SignInAsync(email, Password);
        var (key, oldCodes) = await client.EnrolAsync(Page);

        var refused = await client.PostFormAsync(Page, $"{Page}?handler=Regenerate", new() { ["Code"] = Totp.WrongCode(key) });
        Assert.Empty(TwoFactorSignIn.RecoveryCodesOf(await refused.Content.ReadAsStringAsync()));
        var made = await client.PostFormAsync(Page, $"{Page}?handler=Regenerate", new() { ["Code"] = Totp.NextCode(key) });
        var newCodes = TwoFactorSignIn.RecoveryCodesOf(await made.Content.ReadAsStringAsync());
        Assert.Equal(10, newCodes.Count);
        Assert.Empty(newCodes.Intersect(oldCodes));
        await factory.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == email) && (m.Subject ?? "").StartsWith("New recovery codes"));

        var old = factory.Dashboard();
        await old.SignInAsync(email, Password);
        Assert.Contains("does not match, or it was already used", await (await old.RecoveryCodeAsync(oldCodes[0])).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await old.RecoveryCodeAsync(newCodes[0])).StatusCode);
    }

    private Task<HeronUser> UserAsync(string email) =>
        factory.WithScopeAsync(s => s.GetRequiredService<HeronDbContext>().Users.AsNoTracking().SingleAsync(u => u.Email == email));

    private Task<string> StoredRecoveryCodesAsync(string email) =>
        factory.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<HeronDbContext>();
            var user = await db.Users.AsNoTracking().SingleAsync(u => u.Email == email);
            return await db.UserTokens.Where(t => t.UserId == user.Id && t.Name == "RecoveryCodes").Select(t => t.Value).SingleAsync() ?? "";
        });
}
