using Heron.Web.Audit;
using Heron.Web.Organizations;
using Heron.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.Dashboard;

/// <summary>The outbox with a poll so slow that only the signal of a new message can get mail out in time.</summary>
public sealed class SlowPollingMailingHeronFactory : MailingHeronFactory
{
    public SlowPollingMailingHeronFactory() => Settings["Email:PollInterval"] = "00:10:00";
}

public sealed class OutboxSignalTests(SlowPollingMailingHeronFactory factory) : IClassFixture<SlowPollingMailingHeronFactory>
{
    [Fact]
    public async Task Onboarding_sends_the_invitation_at_once_rather_than_at_the_next_poll()
    {
        var email = $"first-user-{Guid.NewGuid():N}@example.com";

        await factory.WithScopeAsync(s => s.GetRequiredService<OrganizationService>()
            .OnboardAsync($"Signal {Guid.NewGuid():N}", email, Actor.Cli(), default));

        var invitation = await factory.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == email), TimeSpan.FromSeconds(30));
        Assert.Contains("invited", invitation.Subject);
    }
}
