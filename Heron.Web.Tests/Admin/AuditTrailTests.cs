using System.Net;
using Heron.Web.Organizations;
using Heron.Web.Tests.Infrastructure;

namespace Heron.Web.Tests.Admin;

/// <summary>What Settings → Audit log shows: the realm's events with actor, time and client IP, newest first.</summary>
public sealed class AuditTrailTests(MailingHeronFactory factory) : IClassFixture<MailingHeronFactory>
{
    private const string Password = "a-customer-password";

    [Fact]
    public async Task The_audit_log_records_sign_ins_failures_password_changes_keys_and_production_decisions_with_their_actors()
    {
        var (slug, email) = await factory.AccountAsync(Password);
        var customer = factory.Dashboard();
        await customer.SignInAsync(email, "not-the-password");
        await customer.SignInAsync(email, Password);

        var token = await factory.IssueKeyAsync(slug, RealmKind.Development, "Audited key");
        var keyClient = factory.ClientWithKey(token);
        var created = await keyClient.PostAsync("/api/credentials/keys", new StringContent("{\"name\": \"Made by the API\"}"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        await customer.PostFormAsync("/dev/settings/password", "/dev/settings/password", new()
        {
            ["CurrentPassword"] = Password,
            ["Input.Password"] = "a-changed-customer-password",
            ["Input.ConfirmPassword"] = "a-changed-customer-password",
        });
        await customer.PostFormAsync("/dev/settings/production", "/dev/settings/production", new() { ["Note"] = "Going live in May" });

        var operatorEmail = await factory.CreateOperatorAsync("an-operator-password");
        var operatorClient = factory.Dashboard();
        await operatorClient.SignInAsNewOperatorAsync(operatorEmail, "an-operator-password");
        var queue = await operatorClient.Http.GetStringAsync("/admin/production-requests");
        var requestId = System.Text.RegularExpressions.Regex.Match(queue, $"data-request-id=\"(\\d+)\" data-organization=\"{slug}\"").Groups[1].Value;
        var rejected = await operatorClient.PostFormAsync("/admin/production-requests",
            $"/admin/production-requests?handler=Reject&id={requestId}", new() { ["reason"] = "Tell us your expected volume" });
        Assert.Equal(HttpStatusCode.Redirect, rejected.StatusCode);

        var log = WebUtility.HtmlDecode(await customer.Http.GetStringAsync("/dev/settings/audit-log"));

        Assert.Contains("Failed sign-in", log);
        Assert.Contains("Signed in", log);
        Assert.Contains("Password changed", log);
        Assert.Contains("API key created", log);
        Assert.Contains("“Made by the API”", log);
        Assert.Contains("Production credentials requested", log);
        Assert.Contains("Going live in May", log);
        Assert.Contains("Production credentials request rejected", log);
        Assert.Contains($"{operatorEmail} (Heron operator)", log);
        Assert.Contains("Tell us your expected volume", log);
        Assert.Contains(email, log);
        Assert.Contains("127.0.0.1", log);
        Assert.True(log.IndexOf("request rejected", StringComparison.Ordinal) < log.IndexOf("Failed sign-in", StringComparison.Ordinal),
            "newest first");

        var status = WebUtility.HtmlDecode(await customer.Http.GetStringAsync("/dev/settings/production"));
        Assert.Contains("data-status=\"rejected\"", status);
        Assert.Contains("Tell us your expected volume", status);
        var mail = await factory.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(b => b.Address == email) && (m.Subject ?? "").Contains("production credentials"));
        Assert.Contains("Tell us your expected volume", mail.TextBody);
    }

    [Fact]
    public async Task An_operators_incident_deactivation_shows_in_the_customers_audit_log_and_takes_effect()
    {
        var (slug, email) = await factory.AccountAsync(Password);
        var token = await factory.IssueKeyAsync(slug, RealmKind.Development, "Leaked key");
        var operatorEmail = await factory.CreateOperatorAsync("an-operator-password");
        var operatorClient = factory.Dashboard();
        await operatorClient.SignInAsNewOperatorAsync(operatorEmail, "an-operator-password");
        var detail = await operatorClient.Http.GetStringAsync($"/admin/organizations/{slug}");
        var keyId = System.Text.RegularExpressions.Regex.Match(detail, "data-key-id=\"(apk_[0-9A-Za-z]{22})\"").Groups[1].Value;
        Assert.DoesNotContain(token, detail);

        var response = await operatorClient.PostFormAsync($"/admin/organizations/{slug}",
            $"/admin/organizations/{slug}?handler=Deactivate&heronId={keyId}", new());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.ClientWithKey(token).GetAsync("/api/hello_world/authenticated")).StatusCode);
        var customer = factory.Dashboard();
        await customer.SignInAsync(email, Password);
        var log = WebUtility.HtmlDecode(await customer.Http.GetStringAsync("/dev/settings/audit-log"));
        Assert.Contains("API key deactivated", log);
        Assert.Contains($"{operatorEmail} (Heron operator)", log);
        Assert.Contains("“Leaked key”", log);
    }
}
