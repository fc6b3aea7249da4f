using Heron.Web.Audit;
using Heron.Web.Data;
using Heron.Web.Email;
using Heron.Web.Organizations;
using Heron.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Heron.Web.Tests.Dashboard;

public sealed class OutboxTests(MailingHeronFactory factory) : OutboxDelivery(factory), IClassFixture<MailingHeronFactory>;

public sealed class OutboxOnPostgresTests(PostgresMailingHeronFactory factory) : OutboxDelivery(factory), IClassFixture<PostgresMailingHeronFactory>;

public abstract class OutboxDelivery(MailingHeronFactory factory)
{
    [Fact]
    public async Task Mail_written_while_the_smtp_server_is_down_is_delivered_exactly_once_when_it_is_back()
    {
        await factory.Smtp.StopAsync();
        var before = factory.Smtp.Messages.Count;
        var emails = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var email = $"outage-{i}-{Guid.NewGuid():N}@example.com";
            emails.Add(email);
            await factory.WithScopeAsync(s => s.GetRequiredService<OrganizationService>()
                .OnboardAsync($"Outage {Guid.NewGuid():N}", email, Actor.Cli(), default));
        }

        // Every delivery has failed at least once: the outage was real.
        await Eventually.TrueAsync(async () =>
            (await Outbox(emails)).All(m => m.Attempts >= 1 && m.SentAt == null && m.LastError != null));

        factory.Smtp.Start();
        foreach (var email in emails)
        {
            await factory.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == email), TimeSpan.FromSeconds(20));
        }
        await Eventually.TrueAsync(async () => (await Outbox(emails)).All(m => m.SentAt != null));

        // Another pass finds nothing due: nothing is sent twice.
        var sender = factory.Services.GetServices<IHostedService>().OfType<OutboxSender>().Single();
        Assert.Equal(0, await sender.DeliverDueAsync(default));
        Assert.All(emails, email => Assert.Single(factory.Smtp.To(email)));
        Assert.True(before + 3 == factory.Smtp.Messages.Count,
            string.Join("; ", factory.Smtp.Messages.Select(m => $"{m.To} {m.Subject}")));
    }

    [Fact]
    public async Task Invitation_link_is_built_from_the_configured_base_url_and_no_token_is_stored()
    {
        var email = $"invite-{Guid.NewGuid():N}@example.com";
        await factory.WithScopeAsync(s => s.GetRequiredService<OrganizationService>()
            .OnboardAsync($"Invite {Guid.NewGuid():N}", email, Actor.Cli(), default));

        var message = await factory.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == email));
        var link = Heron.Testing.MimeMessageExtensions.LinkStartingWith(message, MailingHeronFactory.BaseUrl + "/account/accept-invitation?");
        Assert.Contains("Development", message.Subject + message.TextBody, StringComparison.OrdinalIgnoreCase);
        Assert.False(string.IsNullOrEmpty(message.HtmlBody));

        var token = Uri.UnescapeDataString(link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..]);
        var stored = await Outbox([email]);
        Assert.All(stored, m => Assert.DoesNotContain(token, m.Facts ?? ""));
        Assert.DoesNotContain(link, factory.Log.AllText());
    }

    private Task<List<OutboxMessage>> Outbox(IEnumerable<string> emails) =>
        factory.WithScopeAsync(async s =>
        {
            var addresses = emails.ToList();
            return await s.GetRequiredService<HeronDbContext>().OutboxMessages.AsNoTracking()
                .Where(m => addresses.Contains(m.ToAddress)).ToListAsync();
        });
}
