using System.Text.RegularExpressions;
using Heron.E2E.Infrastructure;
using Heron.E2E.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Heron.E2E.Journeys;

/// <summary>
/// Key controls from the dashboard ("Done when"): a key limited in what it may do, where from and for how
/// long, then rolled with a grace period. The app's clock is moved past the grace (<see cref="ClockAppFixture"/>)
/// rather than waited for; everything else is real time, a real browser and real HTTP calls.
/// </summary>
public sealed class KeyControlJourneys(ClockAppFixture app, BrowserFixture browser, ITestOutputHelper output)
    : ClockBrowserTest(app, browser, output)
{
    private const string Password = "loopback only reporting passphrase";
    private const string KeyName = "Nightly report";
    private const string ReadOnly = "Read-only (list keys, usage, environments)";

    [Fact]
    public Task A_read_only_loopback_key_lists_but_cannot_create_and_rolled_with_a_grace_both_keys_work_until_the_old_one_expires() => WithPageAsync(async page =>
    {
        var account = await App.AccountAsync(Secrets.Add(Password));
        var credentials = await (await LoginPage.OpenAsync(page)).SignInToDashboardAsync(account.Email, Password);

        var created = await credentials.CreateKeyAsync(KeyName, expires: "In 7 days", access: ReadOnly, "127.0.0.1", "::1");
        var oldToken = Secrets.Add(await created.ReadTokenAsync());
        Assert.True(Regex.IsMatch(oldToken, "^key_[0-9a-f]{48}$"), "The dialog shows a whole token.");
        await created.CloseAsync();
        var oldRow = credentials.RowWithPrefix(oldToken[..8]);
        await Expect(credentials.Rows).ToHaveCountAsync(1);
        await Expect(oldRow.Limits).ToContainTextAsync("expires in 7 days");
        await Expect(oldRow.Limits).ToContainTextAsync("read-only");
        await Expect(oldRow.Limits).ToContainTextAsync("2 addresses");

        // Read-only: it lists its credential set's keys, and is refused the write scope (the call comes from 127.0.0.1).
        Assert.Equal(200, (await Api.ListKeysAsync(oldToken)).Status);
        var create = await Api.CreateKeyAsync(oldToken, "x");
        Assert.Equal(403, create.Status);
        Assert.Contains("credentials:write", create.Description);

        var roll = await oldRow.OpenRollAsync();
        await Expect(roll.KeyName).ToHaveTextAsync($"“{KeyName}” ({oldToken[..8]}…)");
        var rolledAt = Clock.GetUtcNow().UtcDateTime;
        var rolled = await roll.RollAsync(oldKeyStopsWorking: "In 1 hour");
        var newToken = Secrets.Add(await rolled.ReadTokenAsync());
        var shownAt = Clock.GetUtcNow().UtcDateTime;
        Assert.True(Regex.IsMatch(newToken, "^key_[0-9a-f]{48}$"), "The dialog shows the new key's whole token.");
        Assert.NotEqual(oldToken, newToken);
        await Screenshots.SaveAsync(page, "roll-token-dialog", rolled.Secrets);
        await rolled.CloseAsync();

        // The list is reloaded: the old key says when it stops working, the new one has the same limits.
        var newRow = credentials.RowWithPrefix(newToken[..8]);
        await Expect(credentials.Rows).ToHaveCountAsync(2);
        await Expect(newRow.Locator).ToBeVisibleAsync();
        var oldStopsAt = await oldRow.StopsWorkingAtAsync();
        // An hour from the roll, to the second (it was rolled between the two readings of the clock).
        Assert.InRange(oldStopsAt, rolledAt.AddHours(1).AddSeconds(-1), shownAt.AddHours(1));
        await Expect(oldRow.StopsWorking).ToHaveTextAsync($"stops working {oldStopsAt:yyyy-MM-dd HH:mm:ss} UTC");
        await Expect(oldRow.Status).ToHaveTextAsync("Active");
        await Expect(newRow.Status).ToHaveTextAsync("Active");
        await Expect(newRow.Limits).ToContainTextAsync("expires in 7 days");
        await Expect(newRow.Limits).ToContainTextAsync("read-only");
        await Expect(newRow.Limits).ToContainTextAsync("2 addresses");
        await Screenshots.SaveAsync(page, "api-credentials-rolled");

        // In the grace period both keys work, and the new one is as read-only as the old.
        Assert.Equal(200, (await Api.ListKeysAsync(oldToken)).Status);
        Assert.Equal(200, (await Api.ListKeysAsync(newToken)).Status);
        Assert.Equal(403, (await Api.CreateKeyAsync(newToken, "x")).Status);

        var key = await oldRow.OpenAsync();
        await Expect(key.Status).ToHaveTextAsync("Active");
        await Expect(key.Scopes).ToHaveTextAsync("credentials:read");
        await Expect(key.AllowedAddresses).ToHaveTextAsync("127.0.0.1, ::1");
        await Expect(key.Expires).ToContainTextAsync($"{oldStopsAt:yyyy-MM-dd HH:mm:ss} UTC");
        // The old key's traffic: two lists accepted, the create refused for its scope. Usage is written in the background.
        await page.ReloadUntilAsync(async () => await key.LastHour.TotalsAsync() == ("2", "1"),
            "the old key's two accepted and one rejected requests are in its last hour");
        await Expect(key.LastHour.Chart).ToHaveAccessibleNameAsync("Last hour, per minute: 2 accepted, 1 rejected");
        await Expect(key.LastHour.BucketRows).Not.ToHaveCountAsync(0);
        await key.LastWeek.OpenTableAsync();
        await Expect(key.LastWeek.AcceptedTotal).ToHaveTextAsync("2");
        await Expect(key.LastWeek.RejectedTotal).ToHaveTextAsync("1");
        await Expect(key.LastWeek.Chart).ToHaveAccessibleNameAsync("Last 7 days, per hour: 2 accepted, 1 rejected");
        await Screenshots.SaveAsync(page, "api-key-usage");

        // Half a minute before the grace ends the old key still works; a minute later it is refused as expired.
        Clock.Advance(WholeSeconds(oldStopsAt.AddSeconds(-30) - Clock.GetUtcNow().UtcDateTime));
        Assert.Equal(200, (await Api.ListKeysAsync(oldToken)).Status);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var expired = await Api.ListKeysAsync(oldToken);
        Assert.Equal(401, expired.Status);
        // Expired at the very time its row said it would stop working.
        Assert.Contains($"expired at {oldStopsAt:yyyy-MM-ddTHH:mm:ssZ}", expired.Description);
        Assert.Equal(200, (await Api.ListKeysAsync(newToken)).Status);
    });

    /// <summary>A span to move the clock by, in whole seconds (rounded down), so the clock stays to the microsecond.</summary>
    private static TimeSpan WholeSeconds(TimeSpan span) => TimeSpan.FromSeconds(Math.Floor(span.TotalSeconds));
}
