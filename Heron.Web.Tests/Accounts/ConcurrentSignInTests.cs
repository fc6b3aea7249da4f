using System.Net;
using Heron.Testing;
using Heron.Web.Data;
using Heron.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.Accounts;

/// <summary>Bursts of sign-ins on one account: never a 5xx, never more guesses than the lockout allows.</summary>
public sealed class ConcurrentSignInTests(ConcurrentSignInTests.Factory factory) : IClassFixture<ConcurrentSignInTests.Factory>
{
    private const string Password = "the-right-long-password";

    public sealed class Factory : HashCountingHeronFactory
    {
        // The lockout alone is under test here; the address budget has its own tests.
        public Factory() => Settings["SignIn:AttemptsPerMinute"] = "1000";
    }

    [Fact]
    public async Task Sixteen_parallel_wrong_passwords_answer_without_5xx_and_check_only_as_many_guesses_as_the_lockout_allows()
    {
        var (_, email) = await factory.AccountAsync(Password);
        var clients = Enumerable.Range(0, 16).Select(_ => factory.Dashboard()).ToList();
        var hashedBefore = factory.Hasher.Verified;

        var responses = await Task.WhenAll(clients.Select((c, i) => c.SignInAsync(email, "wrong-password-" + i)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(5, factory.Hasher.Verified - hashedBefore);
        var user = await factory.WithScopeAsync(s => s.GetRequiredService<HeronDbContext>().Users.AsNoTracking().SingleAsync(u => u.Email == email));
        Assert.True(user.LockoutEnd > DateTimeOffset.UtcNow, "The account is not locked.");
        await factory.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == email) && (m.Subject ?? "").Contains("locked", StringComparison.OrdinalIgnoreCase));
        Assert.Single(factory.Smtp.To(email), m => (m.Subject ?? "").Contains("locked", StringComparison.OrdinalIgnoreCase));

        // Even the right password is not checked while it is locked, and the page says what it says to anyone.
        var right = await factory.Dashboard().SignInAsync(email, Password);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(5, factory.Hasher.Verified - hashedBefore);
        var nobody = await factory.Dashboard().SignInAsync($"nobody-{Guid.NewGuid():N}@example.com", Password);
        var lockedNotice = ErrorOf(await right.Content.ReadAsStringAsync());
        Assert.Contains("Wrong email or password", lockedNotice);
        Assert.Equal(ErrorOf(await nobody.Content.ReadAsStringAsync()), lockedNotice);
    }

    [Fact]
    public async Task A_right_password_inside_a_burst_of_wrong_ones_never_answers_5xx()
    {
        var (_, email) = await factory.AccountAsync(Password);
        // Four wrong ones at most come first, so the lockout (at five) cannot be what refuses the right one.
        var clients = Enumerable.Range(0, 5).Select(_ => factory.Dashboard()).ToList();

        var responses = await Task.WhenAll(clients.Select((c, i) => c.SignInAsync(email, i == 2 ? Password : "wrong-password-" + i)));

        Assert.All(responses, r => Assert.True((int)r.StatusCode < 500, $"{r.StatusCode}"));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Parallel_wrong_second_factor_codes_answer_without_5xx_and_lock_the_account()
    {
        var (_, email) = await factory.AccountAsync(Password);
        var enrolling = factory.Dashboard();
        await enrolling.SignInAsync(email, Password);
        var (key, _) = await enrolling.EnrolAsync("/dev/settings/two-factor");
        // Eight browsers past the password step, each waiting for its code; then all send a wrong one at once.
        var clients = Enumerable.Range(0, 8).Select(_ => factory.Dashboard()).ToList();
        foreach (var client in clients)
        {
            var signIn = await client.SignInAsync(email, Password);
            Assert.StartsWith(TwoFactorSignIn.SecondStep, signIn.Headers.Location!.ToString());
        }

        var responses = await Task.WhenAll(clients.Select(c => c.SecondFactorAsync(Totp.WrongCode(key), "/dev/settings/api-credentials")));

        Assert.All(responses, r => Assert.True((int)r.StatusCode < 500, $"{(int)r.StatusCode} {r.StatusCode}"));
        var user = await factory.WithScopeAsync(s => s.GetRequiredService<HeronDbContext>().Users.AsNoTracking().SingleAsync(u => u.Email == email));
        Assert.True(user.LockoutEnd > DateTimeOffset.UtcNow, "Eight wrong codes did not lock the account.");
    }

    [Fact]
    public async Task A_completed_password_reset_lifts_the_lockout()
    {
        var (_, email) = await factory.AccountAsync(Password);
        for (var i = 0; i < 5; i++)
        {
            await factory.Dashboard().SignInAsync(email, "wrong-password-" + i);
        }
        Assert.Equal(HttpStatusCode.OK, (await factory.Dashboard().SignInAsync(email, Password)).StatusCode);

        await factory.Dashboard().ResetPasswordByEmailAsync(factory, email, "a-brand-new-password");

        Assert.Equal(HttpStatusCode.Redirect, (await factory.Dashboard().SignInAsync(email, "a-brand-new-password")).StatusCode);
    }

    private static string ErrorOf(string page) =>
        System.Text.RegularExpressions.Regex.Match(page, "validation-summary-errors[^>]*>(.*?)</div>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
}
