using Heron.Web.Audit;
using Heron.Web.Data;
using Heron.Web.Organizations;
using Heron.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.Dashboard;

/// <summary>
/// Two instances on one PostgreSQL database, sending to one SMTP server: every message waiting in the
/// outbox is due on both at once, and each is still delivered exactly once (an instance leases a message
/// before it sends it).
/// </summary>
public sealed class OutboxAcrossInstancesOnPostgresTests(PostgresMailingHeronFactory first) : IClassFixture<PostgresMailingHeronFactory>
{
    [Fact]
    public async Task Messages_due_on_two_instances_at_once_are_each_delivered_once()
    {
        await using var second = new SecondMailingInstance(first);
        first.StartServer();
        second.StartServer();
        await first.Smtp.StopAsync();
        var emails = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var email = $"two-instances-{i}-{Guid.NewGuid():N}@example.com";
            emails.Add(email);
            await first.WithScopeAsync(s => s.GetRequiredService<OrganizationService>()
                .OnboardAsync($"Two instances {Guid.NewGuid():N}", email, Actor.Cli(), default));
        }
        // Every delivery has failed at least once, so every message is due again on both instances.
        await Eventually.TrueAsync(async () => (await OutboxAsync(emails)).All(m => m.Attempts >= 1 && m.SentAt == null));

        first.Smtp.Start();
        await Eventually.TrueAsync(async () => (await OutboxAsync(emails)).All(m => m.SentAt != null), TimeSpan.FromSeconds(30),
            "both instances to deliver the outbox");

        Assert.All(emails, email => Assert.Single(first.Smtp.To(email)));
        Assert.Equal(emails.Count, first.Smtp.Messages.Where(m => emails.Contains(m.To.Mailboxes.Single().Address))
            .Select(m => m.MessageId).Distinct().Count());
    }

    private Task<List<Web.Email.OutboxMessage>> OutboxAsync(List<string> emails) =>
        first.WithScopeAsync(s => s.GetRequiredService<HeronDbContext>().OutboxMessages.AsNoTracking()
            .Where(m => emails.Contains(m.ToAddress)).ToListAsync());

    /// <summary>Another instance on the first one's database, delivering to its SMTP server.</summary>
    private sealed class SecondMailingInstance : HeronFactory
    {
        private readonly PostgresMailingHeronFactory _first;

        public SecondMailingInstance(PostgresMailingHeronFactory first)
        {
            _first = first;
            SendMailTo(first.Smtp);
            Settings["Heron:BaseUrl"] = MailingHeronFactory.BaseUrl;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            PostgresHeronFactory.UsePostgres(builder, _first.Database);
        }
    }
}
