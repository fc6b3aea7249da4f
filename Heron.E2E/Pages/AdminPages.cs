using System.Text.RegularExpressions;
using Heron.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Heron.E2E.Pages;

/// <summary>Operators' sign-in, <c>/admin/login</c>.</summary>
public sealed class AdminLoginPage(IPage page)
{
    public static async Task<AdminLoginPage> OpenAsync(IPage page)
    {
        var response = await page.GotoAsync("/admin/login");
        Assert.Equal(200, response?.Status);
        var login = new AdminLoginPage(page);
        await Expect(login.Form).ToBeVisibleAsync();
        await AccessibilityScanner.ScanShownAsync(page);
        return login;
    }

    public ILocator Title => page.GetByRole(AriaRole.Heading, new() { Level = 1 });
    public ILocator Form => page.GetByRole(AriaRole.Form, new() { Name = "Heron operators" });
    public ILocator Email => Form.GetByLabel("Email", new() { Exact = true });
    public ILocator Password => Form.GetByLabel("Password", new() { Exact = true });
    public ILocator SignInButton => Form.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true });

    /// <summary>The password; Heron then asks for the second factor (or, the first time, for enrolling one).</summary>
    public async Task<SecondFactorPage> SignInAsync(string email, string password)
    {
        await Email.FillAsync(email);
        await Password.FillAsync(password);
        await page.SubmitAsync(() => SignInButton.ClickAsync());
        return await SecondFactorPage.ExpectShownAsync(page, "Set up two-factor sign-in");
    }

    /// <summary>An operator's first sign-in: the password, then the enrolment Heron insists on, then the console.</summary>
    public async Task<AdminOrganizationsPage> SignInFirstTimeAsync(string email, string password, TestSecrets secrets)
    {
        var enrolment = await SignInAsync(email, password);
        await enrolment.EnrolAsync(secrets);
        await enrolment.ContinueLink.ClickAsync();
        return await AdminOrganizationsPage.ExpectShownAsync(page);
    }
}

/// <summary>What every operators' page shows: the internal badge and the console's navigation.</summary>
public abstract class AdminPage(IPage page)
{
    public IPage Page { get; } = page;
    public ILocator Title => Page.GetByRole(AriaRole.Heading, new() { Level = 1 });
    // The badge and the status message are text that names nothing: by id.
    public ILocator Badge => Page.Locator("#environment-badge");
    public ILocator StatusMessage => Page.Locator("#status-message");
    public ILocator ProductionRequestsLink =>
        Page.GetByRole(AriaRole.Banner).GetByRole(AriaRole.Link, new() { Name = "Production requests", Exact = true });

    public async Task<ProductionRequestsPage> OpenProductionRequestsAsync()
    {
        await ProductionRequestsLink.ClickAsync();
        return await ProductionRequestsPage.ExpectShownAsync(Page);
    }
}

/// <summary>The operators' console home, <c>/admin</c>: organizations with search.</summary>
public sealed class AdminOrganizationsPage(IPage page) : AdminPage(page)
{
    public static async Task<AdminOrganizationsPage> ExpectShownAsync(IPage page)
    {
        await Expect(page).ToHaveURLAsync(new Regex("/admin$"));
        var organizations = new AdminOrganizationsPage(page);
        await Expect(organizations.Title).ToHaveTextAsync("Organizations");
        await AccessibilityScanner.ScanShownAsync(page);
        return organizations;
    }

    public ILocator Rows => Page.Locator("#organizations").GetByRole(AriaRole.Row).Filter(new() { Has = Page.GetByRole(AriaRole.Cell) });
    public ILocator Search => Page.GetByRole(AriaRole.Search).GetByLabel("Search organizations");
    public ILocator SearchButton => Page.GetByRole(AriaRole.Search).GetByRole(AriaRole.Button, new() { Name = "Search" });
    public ILocator NewOrganizationLink => Page.GetByRole(AriaRole.Link, new() { Name = "Onboard an organization" });
    public ILocator PendingRequests => Page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("production requests? waiting$") });

    /// <summary>Searches by name or slug; the list then shows only what matches.</summary>
    public async Task SearchAsync(string query)
    {
        await Search.FillAsync(query);
        await Page.SubmitAsync(() => SearchButton.ClickAsync());
    }

    public async Task<NewOrganizationPage> OnboardAsync()
    {
        await NewOrganizationLink.ClickAsync();
        var form = new NewOrganizationPage(Page);
        await Expect(form.Form).ToBeVisibleAsync();
        await AccessibilityScanner.ScanShownAsync(Page);
        return form;
    }
}

/// <summary>Onboarding, <c>/admin/organizations/new</c>.</summary>
public sealed class NewOrganizationPage(IPage page) : AdminPage(page)
{
    public ILocator Form => Page.GetByRole(AriaRole.Form, new() { Name = "Onboard an organization" });
    public ILocator Name => Form.GetByLabel("Organization name");
    public ILocator FirstUserEmail => Form.GetByLabel("First user's email");
    public ILocator OnboardButton => Form.GetByRole(AriaRole.Button, new() { Name = "Onboard", Exact = true });

    public async Task FillAsync(string name, string email)
    {
        await Name.FillAsync(name);
        await FirstUserEmail.FillAsync(email);
    }

    public async Task<AdminOrganizationPage> SubmitAsync(string expectedSlug)
    {
        await OnboardButton.ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex($"/admin/organizations/{Regex.Escape(expectedSlug)}$"));
        await AccessibilityScanner.ScanShownAsync(Page);
        return new AdminOrganizationPage(Page);
    }
}

/// <summary>An organization as operators see it, <c>/admin/organizations/{slug}</c>.</summary>
public sealed class AdminOrganizationPage(IPage page) : AdminPage(page)
{
    public static async Task<AdminOrganizationPage> OpenAsync(IPage page, string slug)
    {
        var response = await page.GotoAsync($"/admin/organizations/{slug}");
        Assert.Equal(200, response?.Status);
        await AccessibilityScanner.ScanShownAsync(page);
        return new AdminOrganizationPage(page);
    }

    /// <summary>A realm's section: "dev" or "prod".</summary>
    public ILocator Realm(string environment) => Page.Locator($"#realm-{environment}");

    public ILocator Key(string environment, string heronId) => Realm(environment).Locator($"tr[data-key-id=\"{heronId}\"]");

    public async Task DeactivateAsync(string environment, string heronId)
    {
        await Key(environment, heronId).GetByRole(AriaRole.Button, new() { Name = "Deactivate (incident)" }).ClickAsync();
        await Expect(StatusMessage).ToContainTextAsync("was deactivated");
        await AccessibilityScanner.ScanShownAsync(Page);
    }
}

/// <summary>The production access queue, <c>/admin/production-requests</c>.</summary>
public sealed class ProductionRequestsPage(IPage page) : AdminPage(page)
{
    public static async Task<ProductionRequestsPage> ExpectShownAsync(IPage page)
    {
        var requests = new ProductionRequestsPage(page);
        await Expect(requests.Title).ToHaveTextAsync("Production access requests");
        await AccessibilityScanner.ScanShownAsync(page);
        return requests;
    }

    public static async Task<ProductionRequestsPage> OpenAsync(IPage page)
    {
        await page.GotoAsync("/admin/production-requests");
        return await ExpectShownAsync(page);
    }

    /// <summary>The organization's request with <paramref name="status"/> (Pending, Approved, Rejected).</summary>
    public ILocator Request(string slug, string status) =>
        Page.Locator($"#requests tbody tr[data-organization=\"{slug}\"][data-status=\"{status}\"]");

    public async Task ApproveAsync(string slug)
    {
        await Request(slug, "Pending").GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Expect(StatusMessage).ToContainTextAsync("Approved");
    }

    public async Task RejectAsync(string slug, string reason)
    {
        var request = Request(slug, "Pending");
        await request.GetByLabel("Reason for rejecting").FillAsync(reason);
        await request.GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();
        await Expect(StatusMessage).ToContainTextAsync("Rejected");
    }
}
