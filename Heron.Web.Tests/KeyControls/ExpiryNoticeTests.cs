using System.Net;
using Heron.Web.ApiKeys;
using Heron.Web.Data;
using Heron.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Heron.Web.Tests.KeyControls;

/// <summary>
/// Expiry reminders (to the realm's users, 7 days and 1 day before, through the outbox) and the "expired"
/// audit event when the time comes: each written once, only where it helps.
/// </summary>
public sealed class ExpiryNoticeTests(ClockedMailingHeronFactory factory) : IClassFixture<ClockedMailingHeronFactory>
{
    private const string Password = "a-long-development-password";

    [Fact]
    public async Task A_key_gets_one_reminder_a_week_before_one_a_day_before_and_an_expired_event_when_it_expires()
    {
        var (slug, owner) = await factory.AccountAsync(Password);
        var (_, colleague) = await factory.AccountAsync(Password, slug: slug, email: $"colleague-{Guid.NewGuid():N}@example.com");
        using var api = factory.KeysApi(await factory.IssueKeyAsync(slug));
        var expiresAt = Web.ApiKeys.KeyControls.ToTheSecond(factory.Clock.GetUtcNow().UtcDateTime.AddDays(30));
        var key = await api.CreateWithAsync(new { name = "nightly export", expires_at = expiresAt.ToString("yyyy-MM-ddTHH:mm:ssZ") });
        var heronId = key.Str("heron_id");

        factory.Clock.AdvanceTo(new DateTimeOffset(expiresAt.AddDays(-7).AddMinutes(-1)));
        await factory.NotifyExpiriesAsync();
        Assert.Empty(Reminders(owner, heronId));

        factory.Clock.AdvanceTo(new DateTimeOffset(expiresAt.AddDays(-7)));
        await factory.NotifyExpiriesAsync();
        await factory.NotifyExpiriesAsync();
        Assert.Equal(1, await QueuedRemindersAsync(owner));   // written once
        foreach (var user in new[] { owner, colleague })
        {
            var reminder = await factory.Smtp.WaitForAsync(m => IsReminder(m, user, heronId));
            Assert.StartsWith("An API key of your Heron development account for ", reminder.Subject);
            Assert.EndsWith($"({slug}-dev) expires in 7 days", reminder.Subject);
            var text = reminder.TextBody;
            Assert.Contains($"“nightly export” ({key.Str("token_prefix")}…)", text);
            Assert.Contains($"stops working on {expiresAt:yyyy-MM-dd HH:mm} UTC", text);
            Assert.Contains($"{MailingHeronFactory.BaseUrl}/dev/settings/api-key/{heronId}", text);
            Assert.DoesNotContain(key.Str("token"), text + reminder.HtmlBody);
        }

        factory.Clock.AdvanceTo(new DateTimeOffset(expiresAt.AddDays(-1)));
        await factory.NotifyExpiriesAsync();
        Assert.Equal(2, await QueuedRemindersAsync(owner));
        var lastCall = await factory.Smtp.WaitForAsync(m => IsReminder(m, owner, heronId) && m.Subject!.EndsWith("expires in 1 day"));
        Assert.Contains("Roll it before then", lastCall.TextBody);

        factory.Clock.AdvanceTo(new DateTimeOffset(expiresAt));
        using (var refused = await factory.ClientWithKey(key.Str("token")).GetAsync("/api/hello_world/authenticated"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        await factory.NotifyExpiriesAsync();
        await factory.NotifyExpiriesAsync();
        var events = await EventsAsync(heronId);
        var expired = Assert.Single(events, e => e.Kind == ApiKeyEventKind.Expired);
        Assert.Equal(expiresAt, expired.OccurredAt);
        Assert.Equal("Heron", expired.ActorName);
        Assert.Equal(Web.Audit.ActorKind.Heron, expired.ActorKind);
        Assert.Equal(2, await QueuedRemindersAsync(owner));   // none when it expired
    }

    [Fact]
    public async Task Short_lived_deactivated_and_rolled_keys_get_no_reminder_they_do_not_need_but_every_expiry_is_audited()
    {
        var (slug, owner) = await factory.AccountAsync(Password);
        using var api = factory.KeysApi(await factory.IssueKeyAsync(slug));
        var now = factory.Clock.GetUtcNow().UtcDateTime;
        string Rfc(DateTime at) => Web.ApiKeys.KeyControls.ToTheSecond(at).ToString("yyyy-MM-ddTHH:mm:ssZ");
        var threeDays = await api.CreateWithAsync(new { name = "three days", expires_at = Rfc(now.AddDays(3)) });
        var twelveHours = await api.CreateWithAsync(new { name = "twelve hours", expires_at = Rfc(now.AddHours(12)) });
        var deactivated = await api.CreateWithAsync(new { name = "switched off", expires_at = Rfc(now.AddDays(8)) });
        Assert.Equal(HttpStatusCode.OK, (await api.DeactivateAsync(deactivated.Str("heron_id"))).StatusCode);
        var rolled = await api.CreateWithAsync(new { name = "rolled", expires_at = Rfc(now.AddDays(30)) });
        await api.RollAsync(rolled.Str("heron_id"), graceSeconds: 3600);

        // Now: the rolled key ends within the hour (its grace), the others' notices lie ahead. Then two days on:
        // a day before the three-day key's end, inside the deactivated key's last week, past the twelve hours.
        await factory.NotifyExpiriesAsync();
        factory.Clock.AdvanceTo(new DateTimeOffset(now.AddDays(2).AddHours(1)));
        await factory.NotifyExpiriesAsync();

        var reminder = await factory.Smtp.WaitForAsync(m => IsReminder(m, owner, threeDays.Str("heron_id")));
        Assert.EndsWith("expires in 1 day", reminder.Subject);
        Assert.Single(Reminders(owner, threeDays.Str("heron_id")));
        foreach (var quiet in new[] { twelveHours, deactivated, rolled })
        {
            Assert.Empty(Reminders(owner, quiet.Str("heron_id")));
        }
        // The twelve-hour key and the rolled key (its hour of grace) have expired: both are in the audit trail.
        foreach (var ended in new[] { twelveHours, rolled })
        {
            Assert.Single(await EventsAsync(ended.Str("heron_id")), e => e.Kind == ApiKeyEventKind.Expired);
        }
        Assert.DoesNotContain(await EventsAsync(threeDays.Str("heron_id")), e => e.Kind == ApiKeyEventKind.Expired);

        var log = factory.Dashboard();
        await log.SignInAsync(owner, Password);
        var auditLog = WebUtility.HtmlDecode(await log.Http.GetStringAsync("/dev/settings/audit-log"));
        Assert.Contains("API key expired", auditLog);
        Assert.Contains("“twelve hours”", auditLog);
    }

    [Fact]
    public async Task Instances_notifying_at_once_write_each_notice_once()
    {
        var (slug, owner) = await factory.AccountAsync(Password);
        using var api = factory.KeysApi(await factory.IssueKeyAsync(slug));
        var now = factory.Clock.GetUtcNow().UtcDateTime;
        var keys = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            keys.Add((await api.CreateWithAsync(new { name = $"batch {i}", expires_at = Web.ApiKeys.KeyControls.ToTheSecond(now.AddDays(10)).ToString("yyyy-MM-ddTHH:mm:ssZ") })).Str("heron_id"));
        }
        factory.Clock.AdvanceTo(new DateTimeOffset(now.AddDays(3).AddMinutes(1)));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(factory.NotifyExpiriesAsync)));

        foreach (var heronId in keys)
        {
            await factory.Smtp.WaitForAsync(m => IsReminder(m, owner, heronId));
        }
        Assert.Equal(5, await QueuedRemindersAsync(owner));
    }

    /// <summary>Reminders written to the outbox for <paramref name="to"/>: what was decided, whether or not delivered yet.</summary>
    private Task<int> QueuedRemindersAsync(string to) =>
        factory.WithScopeAsync(services => services.GetRequiredService<HeronDbContext>().OutboxMessages
            .CountAsync(m => m.Kind == Web.Email.EmailKind.ApiKeyExpiring && m.ToAddress == to));

    private static bool IsReminder(MimeMessage message, string to, string heronId) =>
        message.To.Mailboxes.Any(b => b.Address == to) && (message.TextBody ?? "").Contains($"/settings/api-key/{heronId}");

    private List<MimeMessage> Reminders(string to, string heronId) =>
        factory.Smtp.Messages.Where(m => IsReminder(m, to, heronId)).ToList();

    private Task<List<ApiKeyEvent>> EventsAsync(string heronId) =>
        factory.WithScopeAsync(services => services.GetRequiredService<HeronDbContext>().ApiKeyEvents.AsNoTracking()
            .Where(e => e.ApiKey.HeronId == heronId).ToListAsync());
}

/// <summary>The notifier is wired to run by itself every <c>ApiKeys:ExpiryCheckInterval</c>.</summary>
public sealed class ExpiryNotifierScheduleTests
{
    [Fact]
    public async Task An_expired_key_is_audited_without_anyone_asking()
    {
        await using var factory = new ClockedHeronFactory();
        factory.Settings["ApiKeys:ExpiryCheckInterval"] = "00:00:00.100";
        var (_, bootstrap) = await factory.OnboardWithKeyAsync();
        using var api = factory.KeysApi(bootstrap);
        var expiresAt = Web.ApiKeys.KeyControls.ToTheSecond(factory.Clock.GetUtcNow().UtcDateTime.AddHours(1));
        var heronId = (await api.CreateWithAsync(new { name = "soon", expires_at = expiresAt.ToString("yyyy-MM-ddTHH:mm:ssZ") })).Str("heron_id");

        factory.Clock.Advance(TimeSpan.FromHours(2));

        await Eventually.TrueAsync(() => factory.WithScopeAsync(services => services.GetRequiredService<HeronDbContext>().ApiKeyEvents
            .AnyAsync(e => e.ApiKey.HeronId == heronId && e.Kind == ApiKeyEventKind.Expired)), because: "the notifier's next pass");
    }
}
