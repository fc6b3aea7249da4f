using System.Net;
using Heron.Web.Accounts;
using Heron.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.Dashboard;

public sealed class PasswordResetPerAddressTests(MailingHeronFactory factory) : IClassFixture<MailingHeronFactory>
{
    [Fact]
    public async Task An_address_gets_at_most_three_reset_emails_an_hour_and_the_page_never_says_so()
    {
        var (_, email) = await factory.AccountAsync("a-long-dashboard-password");
        var client = factory.Dashboard();
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < PasswordService.ResetsPerAddressPerHour + 2; i++)
        {
            responses.Add(await client.PostFormAsync("/account/forgot-password", "/account/forgot-password",
                new() { ["Input.Email"] = email, ["Input.Environment"] = "dev" }));
        }

        Assert.All(responses, r => Assert.Equal("/account/forgot-password?sent=True&environment=dev", r.Headers.Location!.ToString()));
        // A later request for another account shows the sender has caught up with everything before it.
        var (_, other) = await factory.AccountAsync("a-long-dashboard-password");
        await client.PostFormAsync("/account/forgot-password", "/account/forgot-password",
            new() { ["Input.Email"] = other, ["Input.Environment"] = "dev" });
        await factory.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == other) && IsReset(m));
        Assert.Equal(PasswordService.ResetsPerAddressPerHour, factory.Smtp.To(email).Count(IsReset));
    }

    internal static bool IsReset(MimeKit.MimeMessage message) => (message.Subject ?? "").StartsWith("Reset the password", StringComparison.Ordinal);
}

public sealed class PasswordResetPerClientTests(MailingHeronFactory factory) : IClassFixture<MailingHeronFactory>
{
    [Fact]
    public async Task A_client_asking_for_too_many_resets_is_told_to_wait_and_nothing_is_sent()
    {
        var client = factory.Dashboard();
        for (var i = 0; i < PasswordService.ResetsPerClientPerHour; i++)
        {
            var accepted = await client.PostFormAsync("/account/forgot-password", "/account/forgot-password",
                new() { ["Input.Email"] = $"nobody-{i}@example.com", ["Input.Environment"] = "dev" });
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        }
        var (_, email) = await factory.AccountAsync("a-long-dashboard-password");

        var throttled = await client.PostFormAsync("/account/forgot-password", "/account/forgot-password",
            new() { ["Input.Email"] = email, ["Input.Environment"] = "dev" });

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Contains("Too many reset requests", await throttled.Content.ReadAsStringAsync());
        var sender = factory.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<Web.Email.OutboxSender>().Single();
        await sender.DeliverDueAsync(default);
        Assert.DoesNotContain(factory.Smtp.To(email), PasswordResetPerAddressTests.IsReset);
    }
}
