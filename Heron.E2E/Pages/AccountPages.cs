using Heron.E2E.Infrastructure;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Heron.E2E.Pages;

/// <summary>"Forgot password?", <c>/account/forgot-password</c>.</summary>
public sealed class ForgotPasswordPage(IPage page)
{
    public ILocator Title => page.GetByRole(AriaRole.Heading, new() { Level = 1 });
    public ILocator Form => page.GetByRole(AriaRole.Form, new() { Name = "Forgot your password?" });
    public ILocator Development => Form.GetByRole(AriaRole.Radio, new() { Name = "Development" });
    public ILocator Production => Form.GetByRole(AriaRole.Radio, new() { Name = "Production" });
    public ILocator Email => Form.GetByLabel("Email", new() { Exact = true });
    public ILocator SendButton => Form.GetByRole(AriaRole.Button, new() { Name = "Email me a reset link" });
    /// <summary>The confirmation, the same whether or not an account exists; a paragraph nothing names, so by id.</summary>
    public ILocator Requested => page.Locator("#reset-requested");
    public ILocator BackToSignIn => Requested.GetByRole(AriaRole.Link, new() { Name = "Back to sign in" });

    public async Task<ForgotPasswordPage> ExpectShownAsync()
    {
        await Expect(Form).ToBeVisibleAsync();
        await AccessibilityScanner.ScanShownAsync(page);
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
public abstract class EmailedPasswordPage(IPage page, string passwordLabel, string confirmLabel, string saveButton)
{
    protected IPage Page => page;

    public ILocator Title => page.GetByRole(AriaRole.Heading, new() { Level = 1 });
    /// <summary>The page's form, named by its title.</summary>
    public ILocator Form => page.GetByRole(AriaRole.Form, new() { Name = TitleText });
    public ILocator NewPassword => Form.GetByLabel(passwordLabel, new() { Exact = true });
    public ILocator ConfirmPassword => Form.GetByLabel(confirmLabel, new() { Exact = true });
    public ILocator SaveButton => Form.GetByRole(AriaRole.Button, new() { Name = saveButton, Exact = true });
    public ILocator LinkInvalid => page.Locator("#link-invalid");

    protected abstract string TitleText { get; }

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
public sealed class ResetPasswordPage(IPage page) : EmailedPasswordPage(page, "New password", "Repeat the new password", "Set new password")
{
    protected override string TitleText => "Choose a new password";

    public static async Task<ResetPasswordPage> OpenLinkAsync(IPage page, string link)
    {
        await page.GotoAsync(link);
        await AccessibilityScanner.ScanShownAsync(page);
        return new ResetPasswordPage(page);
    }

    public ILocator Errors => Page.Locator("#reset-errors");
}

/// <summary>The page an emailed invitation opens, <c>/account/accept-invitation</c>; signing in goes to the invited realm.</summary>
public sealed class AcceptInvitationPage(IPage page) : EmailedPasswordPage(page, "Password", "Repeat the password", "Set password")
{
    protected override string TitleText => "Welcome to Heron";

    public static async Task<AcceptInvitationPage> OpenLinkAsync(IPage page, string link)
    {
        await page.GotoAsync(link);
        await AccessibilityScanner.ScanShownAsync(page);
        return new AcceptInvitationPage(page);
    }

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
        await AccessibilityScanner.ScanShownAsync(page);
        return password;
    }

    public ILocator Form => Page.GetByRole(AriaRole.Form, new() { Name = "Change password" });
    public ILocator CurrentPassword => Form.GetByLabel("Current password", new() { Exact = true });
    public ILocator NewPassword => Form.GetByLabel("New password", new() { Exact = true });
    public ILocator ConfirmPassword => Form.GetByLabel("Repeat the new password", new() { Exact = true });
    public ILocator ChangeButton => Form.GetByRole(AriaRole.Button, new() { Name = "Change password" });

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
        await AccessibilityScanner.ScanShownAsync(page);
        return team;
    }

    /// <summary>The members' rows, without the header row.</summary>
    public ILocator Members => Page.GetByRole(AriaRole.Table, new() { Name = "Team members", Exact = true }).GetByRole(AriaRole.Row).Filter(new() { Has = Page.GetByRole(AriaRole.Cell) });
    public ILocator Member(string email) => Members.Filter(new() { Has = Page.GetByRole(AriaRole.Cell, new() { Name = email, Exact = true }) });
    public ILocator InviteEmail => Page.GetByLabel("Invite a colleague");
    public ILocator SendInvitation => Page.GetByRole(AriaRole.Button, new() { Name = "Send invitation" });
}

/// <summary>Settings → Audit log, <c>/{dev|prod}/settings/audit-log</c>.</summary>
public sealed class AuditLogPage(IPage page) : DashboardPage(page)
{
    public static async Task<AuditLogPage> OpenAsync(IPage page, string environment)
    {
        await page.GotoAsync($"/{environment}/settings/audit-log");
        var log = new AuditLogPage(page);
        await Expect(log.Title).ToHaveTextAsync("Audit log");
        await AccessibilityScanner.ScanShownAsync(page);
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
        await AccessibilityScanner.ScanShownAsync(page);
        return production;
    }

    public ILocator RequestStatus => Page.Locator("#production-status");
    public ILocator RejectionReason => Page.Locator("#rejection-reason");
    public ILocator RequestForm => Page.GetByRole(AriaRole.Form, new() { Name = "Request production credentials" });
    public ILocator Note => RequestForm.GetByLabel("What will you use Heron for in production?");
    public ILocator RequestButton => RequestForm.GetByRole(AriaRole.Button, new() { Name = "Request production credentials" });
    public ILocator GoToProduction => Page.GetByRole(AriaRole.Link, new() { Name = "Go to production" });

    public async Task RequestAsync(string note)
    {
        await Note.FillAsync(note);
        await RequestButton.ClickAsync();
        await Expect(RequestStatus).ToHaveAttributeAsync("data-status", "pending");
    }
}
