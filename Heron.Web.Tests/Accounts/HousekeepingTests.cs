using System.Net;
using Heron.Web.Accounts;
using Heron.Web.Audit;
using Heron.Web.Data;
using Heron.Web.Email;
using Heron.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.Accounts;

public sealed class InvitationThrottleTests(MailingHeronFactory factory) : IClassFixture<MailingHeronFactory>
{
    [Fact]
    public async Task Re_sending_an_invitation_within_ten_minutes_is_refused_and_says_when_the_last_one_went_out()
    {
        var (_, email) = await factory.AccountAsync("a-long-dashboard-password");
        var browser = new CookieBrowser(factory);
        await browser.Dashboard.SignInAsync(email, "a-long-dashboard-password");
        var invited = $"colleague-{Guid.NewGuid():N}@example.com";

        var first = await browser.Dashboard.PostFormAsync("/dev/settings/team", "/dev/settings/team", new() { ["Email"] = invited });
        var second = await browser.Dashboard.PostFormAsync("/dev/settings/team", "/dev/settings/team", new() { ["Email"] = invited });

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Matches($@"An invitation was sent to {System.Text.RegularExpressions.Regex.Escape(invited)} at \d\d:\d\d UTC\. You can send it again after \d\d:\d\d UTC\.",
            WebUtility.HtmlDecode(await second.Content.ReadAsStringAsync()));
        await factory.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == invited));
        // Another address still goes out, and that is the last mail: the refused one was never queued.
        var other = $"other-{Guid.NewGuid():N}@example.com";
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Dashboard.PostFormAsync("/dev/settings/team", "/dev/settings/team", new() { ["Email"] = other })).StatusCode);
        await factory.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == other));
        Assert.Single(factory.Smtp.To(invited));
    }
}

public sealed class RetentionTests(RetentionTests.Factory factory) : IClassFixture<RetentionTests.Factory>
{
    public sealed class Factory : MailingHeronFactory
    {
        public Factory() => Settings["Retention:Interval"] = "00:00:00.100";
    }

    [Fact]
    public async Task Old_reset_requests_delivered_emails_stale_browsers_and_ended_sessions_go_and_audit_events_stay()
    {
        var (_, email) = await factory.AccountAsync("a-long-dashboard-password");
        var now = DateTime.UtcNow;
        var ids = await factory.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<HeronDbContext>();
            var user = await db.Users.SingleAsync(u => u.Email == email);
            var oldReset = new PasswordResetRequest { EmailHash = new byte[32], RequestedAt = now.AddDays(-2) };
            var newReset = new PasswordResetRequest { EmailHash = new byte[32], RequestedAt = now };
            var oldMail = new OutboxMessage { UserId = user.Id, ToAddress = email, CreatedAt = now.AddDays(-40), NextAttemptAt = now.AddDays(-40), SentAt = now.AddDays(-40) };
            var failedMail = new OutboxMessage { UserId = user.Id, ToAddress = email, CreatedAt = now.AddDays(-40), NextAttemptAt = now.AddDays(-40), FailedAt = now.AddDays(-40) };
            var oldBrowser = new KnownBrowser { UserId = user.Id, BrowserHash = Guid.NewGuid().ToByteArray().Concat(new byte[16]).ToArray(), FirstSeenAt = now.AddDays(-500), LastSeenAt = now.AddDays(-401) };
            var newBrowser = new KnownBrowser { UserId = user.Id, BrowserHash = Guid.NewGuid().ToByteArray().Concat(new byte[16]).ToArray(), FirstSeenAt = now.AddDays(-500), LastSeenAt = now };
            var ended = new DashboardSession { KeyHash = Guid.NewGuid().ToByteArray().Concat(new byte[16]).ToArray(), UserId = user.Id, StampHash = new byte[32], CreatedAt = now.AddDays(-3), LastSeenAt = now.AddDays(-3), ExpiresAt = now.AddDays(-2) };
            var audit = new AuditEvent { RealmId = user.RealmId, Kind = AuditEventKind.SignedIn, ActorName = email, OccurredAt = now.AddYears(-5) };
            db.AddRange(oldReset, newReset, oldMail, failedMail, oldBrowser, newBrowser, ended, audit);
            await db.SaveChangesAsync();
            return (oldReset: oldReset.Id, newReset: newReset.Id, oldMail: oldMail.Id, failedMail: failedMail.Id,
                oldBrowser: oldBrowser.Id, newBrowser: newBrowser.Id, ended: ended.Id, audit: audit.Id);
        });

        await Eventually.TrueAsync(() => factory.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<HeronDbContext>();
            return !await db.PasswordResetRequests.AnyAsync(r => r.Id == ids.oldReset)
                && !await db.OutboxMessages.AnyAsync(m => m.Id == ids.oldMail)
                && !await db.KnownBrowsers.AnyAsync(b => b.Id == ids.oldBrowser)
                && !await db.DashboardSessions.AnyAsync(d => d.Id == ids.ended);
        }), because: "the retention job to prune the old records");

        await factory.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<HeronDbContext>();
            Assert.True(await db.PasswordResetRequests.AnyAsync(r => r.Id == ids.newReset));
            Assert.True(await db.OutboxMessages.AnyAsync(m => m.Id == ids.failedMail));
            Assert.True(await db.KnownBrowsers.AnyAsync(b => b.Id == ids.newBrowser));
            Assert.True(await db.AuditEvents.AnyAsync(a => a.Id == ids.audit));
            return 0;
        });
    }
}

public sealed class TrustedProxyTests
{
    [Theory]
    [InlineData("127.0.0.1", null, "203.0.113.7")]
    [InlineData(null, "127.0.0.0/8", "203.0.113.7")]
    [InlineData(null, "10.0.0.0/8", "127.0.0.1")]
    [InlineData(null, null, "127.0.0.1")]
    public async Task X_forwarded_for_is_believed_only_from_a_configured_proxy(string? proxies, string? networks, string recorded)
    {
        await using var factory = new MailingHeronFactory();
        await ((Xunit.IAsyncLifetime)factory).InitializeAsync();
        if (proxies is not null)
        {
            factory.Settings["ForwardedHeaders:KnownProxies"] = proxies;
        }
        if (networks is not null)
        {
            factory.Settings["ForwardedHeaders:KnownNetworks"] = networks;
        }
        var (_, email) = await factory.AccountAsync("a-long-dashboard-password");
        var browser = new CookieBrowser(factory);
        browser.Http.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");

        await browser.Dashboard.SignInAsync(email, "a-long-dashboard-password");

        var session = await factory.WithScopeAsync(s => s.GetRequiredService<HeronDbContext>().DashboardSessions.SingleAsync(d => d.User.Email == email));
        Assert.Equal(recorded, session.ClientIp);
    }
}
