using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Heron.E2E.Pages;

/// <summary>"Forgot password?", <c>/account/forgot-password</c>.</summary>
public sealed class ForgotPasswordPage(IPage page)
{
    public ILocator Title => page.Locator("#page-title");
    public ILocator Form => page.Locator("#forgot-password-form");
    public ILocator Development => page.Locator("#environment-dev");
    public ILocator Production => page.Locator("#environment-prod");
    public ILocator Email => page.Locator("#email");
    public ILocator SendButton => page.Locator("#send-reset-link");
    /// <summary>The confirmation, the same whether or not an account exists.</summary>
    public ILocator Requested => page.Locator("#reset-requested");
    public ILocator BackToSignIn => Requested.GetByRole(AriaRole.Link, new() { Name = "Back to sign in" });

    public async Task<ForgotPasswordPage> ExpectShownAsync()
    {
        await Expect(Form).ToBeVisibleAsync();
        return this;
    }

    public async Task RequestAsync(string email, string environment = "dev")
    {
        await (environment == "prod" ? Production : Development).CheckAsync();
        await Email.FillAsync(email);
        await SendButton.ClickAsync();
        await Expect(Requested).ToBeVisibleAsync();
    }
}

/// <summary>
/// A page an emailed link opens to set a password (reset or invitation). The link is a secret: the caller
/// registers it with the test's secrets before opening it.
/// </summary>
public abstract class EmailedPasswordPage(IPage page)
{
    protected IPage Page => page;

    public ILocator Title => page.Locator("#page-title");
    public ILocator NewPassword => page.Locator("#new-password");
    public ILocator ConfirmPassword => page.Locator("#confirm-password");
    public ILocator SaveButton => page.Locator("#save-password");
    public ILocator LinkInvalid => page.Locator("#link-invalid");

    /// <summary>Sets the password; the app sends the browser to sign in (it never signs it in by itself).</summary>
    public async Task<LoginPage> SetPasswordAsync(string password)
    {
        await NewPassword.FillAsync(password);
        await ConfirmPassword.FillAsync(password);
        await SaveButton.ClickAsync();
        return await new LoginPage(page).ExpectShownAsync();
    }
}

/// <summary>The page an emailed reset link opens, <c>/account/reset-password</c>.</summary>
public sealed class ResetPasswordPage(IPage page) : EmailedPasswordPage(page)
{
    public static async Task<ResetPasswordPage> OpenLinkAsync(IPage page, string link)
    {
        await page.GotoAsync(link);
        return new ResetPasswordPage(page);
    }

    public ILocator Form => Page.Locator("#reset-password-form");
    public ILocator Errors => Page.Locator("#reset-errors");
}

/// <summary>The page an emailed invitation opens, <c>/account/accept-invitation</c>; signing in goes to the invited realm.</summary>
public sealed class AcceptInvitationPage(IPage page) : EmailedPasswordPage(page)
{
    public static async Task<AcceptInvitationPage> OpenLinkAsync(IPage page, string link)
    {
        await page.GotoAsync(link);
        return new AcceptInvitationPage(page);
    }

    public ILocator Form => Page.Locator("#accept-invitation-form");
    public ILocator InvitedEmail => Page.Locator("#invited-email");
}

/// <summary>Settings → Password, <c>/{dev|prod}/settings/password</c>.</summary>
public sealed class PasswordPage(IPage page) : DashboardPage(page)
{
    public static async Task<PasswordPage> OpenAsync(IPage page, string environment)
    {
        await page.GotoAsync($"/{environment}/settings/password");
        var password = new PasswordPage(page);
        await Expect(password.Form).ToBeVisibleAsync();
        return password;
    }

    public ILocator Form => Page.Locator("#change-password-form");
    public ILocator CurrentPassword => Page.Locator("#current-password");
    public ILocator NewPassword => Page.Locator("#new-password");
    public ILocator ConfirmPassword => Page.Locator("#confirm-password");
    public ILocator ChangeButton => Page.Locator("#change-password");

    public async Task ChangeAsync(string current, string next)
    {
        await CurrentPassword.FillAsync(current);
        await NewPassword.FillAsync(next);
        await ConfirmPassword.FillAsync(next);
        await ChangeButton.ClickAsync();
    }
}

/// <summary>Settings → Team, <c>/{dev|prod}/settings/team</c>.</summary>
public sealed class TeamPage(IPage page) : DashboardPage(page)
{
    public static async Task<TeamPage> OpenAsync(IPage page, string environment)
    {
        await page.GotoAsync($"/{environment}/settings/team");
        var team = new TeamPage(page);
        await Expect(team.Title).ToHaveTextAsync("Team");
        return team;
    }

    public ILocator Members => Page.Locator("#members tbody tr");
    public ILocator Member(string email) => Members.Filter(new() { Has = Page.Locator("td", new() { HasTextRegex = new Regex($"^{Regex.Escape(email)}$") }) });
    public ILocator InviteEmail => Page.Locator("#invite-email");
    public ILocator SendInvitation => Page.Locator("#send-invitation");
}

/// <summary>Settings → Audit log, <c>/{dev|prod}/settings/audit-log</c>.</summary>
public sealed class AuditLogPage(IPage page) : DashboardPage(page)
{
    public static async Task<AuditLogPage> OpenAsync(IPage page, string environment)
    {
        await page.GotoAsync($"/{environment}/settings/audit-log");
        var log = new AuditLogPage(page);
        await Expect(log.Title).ToHaveTextAsync("Audit log");
        return log;
    }

    public ILocator Entries => Page.Locator("#audit-log tbody tr.audit-entry");

    /// <summary>Entries whose "What" column reads <paramref name="what"/>.</summary>
    public ILocator Entry(string what) => Entries.Filter(new() { Has = Page.Locator("td.what", new() { HasTextString = what }) });
}

/// <summary>Production access, <c>/dev/settings/production</c>: request production credentials and see the request's status.</summary>
public sealed class ProductionPage(IPage page) : DashboardPage(page)
{
    public const string Path = "/dev/settings/production";

    public static async Task<ProductionPage> OpenAsync(IPage page)
    {
        await page.GotoAsync(Path);
        return await ExpectShownAsync(page);
    }

    public static async Task<ProductionPage> ExpectShownAsync(IPage page)
    {
        var production = new ProductionPage(page);
        await Expect(production.Title).ToHaveTextAsync("Production credentials");
        return production;
    }

    public ILocator RequestStatus => Page.Locator("#production-status");
    public ILocator RejectionReason => Page.Locator("#rejection-reason");
    public ILocator RequestForm => Page.Locator("#request-production-form");
    public ILocator Note => Page.Locator("#production-note");
    public ILocator RequestButton => Page.Locator("#request-production");
    public ILocator GoToProduction => Page.Locator("#go-to-production");

    public async Task RequestAsync(string note)
    {
        await Note.FillAsync(note);
        await RequestButton.ClickAsync();
        await Expect(RequestStatus).ToHaveAttributeAsync("data-status", "pending");
    }
}
