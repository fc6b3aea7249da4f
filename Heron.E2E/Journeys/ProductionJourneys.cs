using System.Text.RegularExpressions;
using Heron.E2E.Infrastructure;
using Heron.E2E.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Heron.E2E.Journeys;

/// <summary>
/// Onboarding and production credentials (issue 4, "Done when"): an operator and a customer, each in a
/// browser of their own, with every email delivered over SMTP and every link followed from the email.
/// </summary>
public sealed class ProductionJourneys(MailAppFixture app, BrowserFixture browser, ITestOutputHelper output)
    : MailBrowserTest(app, browser, output)
{
    private const string OperatorPassword = "an operator's own passphrase";
    private const string JaneDevelopmentPassword = "violet meadow lantern 42";
    private const string JaneProductionPassword = "granite harbour compass 7";
    private const string Jane = "jane@acme.test";

    [Fact]
    public Task An_operator_onboards_Acme_grants_production_on_request_and_deactivates_a_leaked_production_key() => WithBrowsersAsync(async browsers =>
    {
        Secrets.Add(JaneDevelopmentPassword);
        Secrets.Add(JaneProductionPassword);
        var operatorEmail = await App.CreateOperatorAsync(Secrets.Add(OperatorPassword));
        var console = await browsers.OpenAsync("operator");
        var jane = await browsers.OpenAsync("jane");

        // The operator signs in and onboards Acme with Jane as its first user.
        var adminLogin = await AdminLoginPage.OpenAsync(console);
        await Screenshots.SaveAsync(console, "admin-login");
        var organizations = await adminLogin.SignInFirstTimeAsync(operatorEmail, OperatorPassword, Secrets);
        await Expect(organizations.Badge).ToHaveTextAsync("Heron operators");
        var onboarding = await organizations.OnboardAsync();
        await onboarding.FillAsync("Acme", Jane);
        await Screenshots.SaveAsync(console, "admin-new-organization");
        var acme = await onboarding.SubmitAsync("acme");
        await Expect(acme.StatusMessage).ToHaveTextAsync($"Acme was onboarded; {Jane} was invited to development.");
        await Expect(acme.Realm("dev")).ToContainTextAsync($"{Jane} — invited");
        await Expect(acme.Realm("prod")).ToHaveCountAsync(0);

        // Jane accepts the emailed invitation and signs in to development.
        var invitation = await Mail.WaitForAsync(Jane, "invited to your Heron development account for Acme");
        var invitationLink = Secrets.AddLink(Mail.LinkTo(invitation, "/account/accept-invitation"));
        var janeLogin = await (await AcceptInvitationPage.OpenLinkAsync(jane, invitationLink)).SetPasswordAsync(JaneDevelopmentPassword);
        var devCredentials = await janeLogin.SignInToDashboardAsync(Jane, JaneDevelopmentPassword, "dev");
        await Expect(devCredentials.OrganizationName).ToHaveTextAsync("Acme");
        await Expect(devCredentials.EnvironmentBadge).ToHaveTextAsync("Development");
        await Expect(devCredentials.SwitchToProduction).ToHaveCountAsync(0);
        var devToken = await devCredentials.CreateKeyAndCloseAsync(Secrets, "Acme dev backend");
        Assert.Equal(new HelloAnswer(200, "acme", "dev"), await Api.HelloAuthenticatedAsync(devToken));

        // She asks for production, saying why.
        var production = await devCredentials.OpenProductionAccessAsync();
        await production.RequestAsync("Payments go live in March, about 200 requests a minute.");
        await Expect(production.StatusMessage).ToHaveTextAsync("Your request was sent to Heron's team.");
        await Expect(production.RequestStatus).ToContainTextAsync("Payments go live in March");
        await Expect(production.RequestForm).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(jane, "production-request");

        // The operator finds the request in the queue and approves it.
        await console.GotoAsync("/admin");
        await Expect(organizations.PendingRequests).ToBeVisibleAsync();
        await organizations.Search.FillAsync("acm");
        await console.SubmitAsync(() => organizations.Search.PressAsync("Enter"));
        await Expect(organizations.Rows).ToHaveCountAsync(1);
        await Expect(organizations.Rows).ToContainTextAsync("Acme");
        await Screenshots.SaveAsync(console, "admin-organizations");
        var queue = await organizations.OpenProductionRequestsAsync();
        var request = queue.Request("acme", "Pending");
        await Expect(request).ToContainTextAsync(Jane);
        await Expect(request).ToContainTextAsync("Payments go live in March");
        await Screenshots.SaveAsync(console, "admin-production-requests");
        await queue.ApproveAsync("acme");
        await Expect(queue.Request("acme", "Approved")).ToContainTextAsync($"by {operatorEmail}");

        // Production exists now, but Jane's development session is no production session.
        await production.Page.ReloadAsync();
        await Expect(production.RequestStatus).ToHaveAttributeAsync("data-status", "approved");
        devCredentials = await ApiCredentialsPage.OpenAsync(jane, "dev");
        await devCredentials.SwitchToProduction.ClickAsync();
        var productionLogin = await new LoginPage(jane).ExpectShownAsync();
        await Expect(productionLogin.Production).ToBeCheckedAsync();
        await Screenshots.SaveAsync(jane, "login-production");

        // Jane sets a production password of its own from the emailed invitation, and signs in to production.
        var productionInvitation = await Mail.WaitForAsync(Jane, "invited to your Heron production account for Acme");
        var productionLink = Secrets.AddLink(Mail.LinkTo(productionInvitation, "/account/accept-invitation"));
        var accept = await AcceptInvitationPage.OpenLinkAsync(jane, productionLink);
        await Expect(accept.InvitedEmail).ToHaveTextAsync(Jane);
        productionLogin = await accept.SetPasswordAsync(JaneProductionPassword);
        await Expect(productionLogin.Production).ToBeCheckedAsync();
        await productionLogin.SignInAsync(Jane, JaneDevelopmentPassword, "prod");
        await Expect(productionLogin.Errors).ToContainTextAsync("Wrong email or password for Production");
        var prodCredentials = await productionLogin.SignInToDashboardAsync(Jane, JaneProductionPassword, "prod");
        await Expect(prodCredentials.EnvironmentBadge).ToHaveTextAsync("Production");
        await Expect(prodCredentials.EnvironmentBanner).ToContainTextAsync("PRODUCTION");
        await Expect(prodCredentials.EmptyState).ToBeVisibleAsync();

        // A production key answers as production.
        var prodToken = await prodCredentials.CreateKeyAndCloseAsync(Secrets, "Acme payments");
        Assert.Equal(new HelloAnswer(200, "acme", "prod"), await Api.HelloAuthenticatedAsync(prodToken));
        var prodKey = await prodCredentials.Row("Acme payments").HeronIdAsync();

        // Neither realm lists the other's keys; with both sessions, switching goes straight across.
        await Expect(prodCredentials.Rows).ToHaveCountAsync(1);
        await Expect(prodCredentials.Row("Acme dev backend").Locator).ToHaveCountAsync(0);
        var team = await TeamPage.OpenAsync(jane, "prod");
        await Expect(team.Members).ToHaveCountAsync(1);
        await Expect(team.Member(Jane)).ToContainTextAsync("Active");
        await Screenshots.SaveAsync(jane, "team");
        await team.SwitchToDevelopment.ClickAsync();
        devCredentials = await ApiCredentialsPage.ExpectShownAsync(jane, "dev");
        await Expect(devCredentials.Rows).ToHaveCountAsync(1);
        await Expect(devCredentials.Row("Acme dev backend").Locator).ToBeVisibleAsync();
        await Expect(devCredentials.Row("Acme payments").Locator).ToHaveCountAsync(0);
        await devCredentials.SwitchToProduction.ClickAsync();
        prodCredentials = await ApiCredentialsPage.ExpectShownAsync(jane, "prod");
        await Expect(prodCredentials.Row("Acme payments").Locator).ToBeVisibleAsync();

        // Incident response: the operator deactivates Jane's production key.
        acme = await AdminOrganizationPage.OpenAsync(console, "acme");
        await Expect(acme.Realm("prod")).ToContainTextAsync($"{Jane} — active");
        await Expect(acme.Key("prod", prodKey)).ToContainTextAsync("Acme payments");
        TestSecrets.AssertAbsent(prodToken, await console.ContentAsync(), "the operators' organization page");
        TestSecrets.AssertAbsent(devToken, await console.ContentAsync(), "the operators' organization page");
        await acme.DeactivateAsync("prod", prodKey);
        await Expect(acme.Key("prod", prodKey)).ToContainTextAsync("Deactivated");
        await Screenshots.SaveAsync(console, "admin-organization");

        Assert.Equal(401, (await Api.HelloAuthenticatedAsync(prodToken)).Status);
        Assert.Equal(200, (await Api.HelloAuthenticatedAsync(devToken)).Status);
        var audit = await AuditLogPage.OpenAsync(jane, "prod");
        var deactivation = audit.Entry("API key deactivated");
        await Expect(deactivation).ToHaveCountAsync(1);
        await Expect(deactivation.Locator(".who")).ToHaveTextAsync($"{operatorEmail} (Heron operator)");
        await Expect(deactivation).ToHaveAttributeAsync("data-actor-kind", "Operator");
        await Expect(deactivation).ToContainTextAsync("“Acme payments”");
        await Expect(audit.Entries.First).ToContainTextAsync("API key deactivated");
        await Screenshots.SaveAsync(jane, "audit-log");
        prodCredentials = await ApiCredentialsPage.OpenAsync(jane, "prod");
        await Expect(prodCredentials.Row("Acme payments").Status).ToContainTextAsync("Deactivated");
    });

    [Fact]
    public Task A_rejected_production_request_tells_the_requester_why_in_the_dashboard_and_by_email() => WithBrowsersAsync(async browsers =>
    {
        var operatorEmail = await App.CreateOperatorAsync(Secrets.Add(OperatorPassword));
        var customer = await App.AccountAsync(Secrets.Add(JaneDevelopmentPassword));
        const string reason = "Tell us your expected request volume and your support contact.";
        var console = await browsers.OpenAsync("operator");
        var developer = await browsers.OpenAsync("customer");

        var credentials = await (await LoginPage.OpenAsync(developer)).SignInToDashboardAsync(customer.Email, JaneDevelopmentPassword);
        var production = await credentials.OpenProductionAccessAsync();
        await production.RequestAsync("A weekend project.");

        var organizations = await (await AdminLoginPage.OpenAsync(console)).SignInFirstTimeAsync(operatorEmail, OperatorPassword, Secrets);
        var queue = await organizations.OpenProductionRequestsAsync();
        await Expect(queue.Request(customer.Slug, "Pending")).ToContainTextAsync("A weekend project.");
        await queue.RejectAsync(customer.Slug, reason);
        await Expect(queue.Request(customer.Slug, "Rejected")).ToContainTextAsync(reason);
        await Expect(queue.Request(customer.Slug, "Pending")).ToHaveCountAsync(0);

        await production.Page.ReloadAsync();
        await Expect(production.RequestStatus).ToHaveAttributeAsync("data-status", "rejected");
        await Expect(production.RejectionReason).ToHaveTextAsync(reason);
        await Expect(production.RequestForm).ToBeVisibleAsync();
        await Screenshots.SaveAsync(developer, "production-request-rejected");
        var email = await Mail.WaitForAsync(customer.Email, "production credentials");
        Assert.Contains(reason, email.TextBody);
        Assert.Contains($"{App.ServerAddress}dev/settings/production", email.TextBody);

        // Still development only: nothing to switch to.
        credentials = await ApiCredentialsPage.OpenAsync(developer, "dev");
        await Expect(credentials.SwitchToProduction).ToHaveCountAsync(0);
        var environments = await (await AdminOrganizationPage.OpenAsync(console, customer.Slug)).Realm("prod").CountAsync();
        Assert.Equal(0, environments);
    });
}
