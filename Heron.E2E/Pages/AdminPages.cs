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
        return login;
    }

    public ILocator Title => page.Locator("#page-title");
    public ILocator Form => page.Locator("#admin-login-form");
    public ILocator Email => page.Locator("#email");
    public ILocator Password => page.Locator("#password");
    public ILocator SignInButton => page.Locator("#sign-in");

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
    public ILocator Title => Page.Locator("#page-title");
    public ILocator Badge => Page.Locator("#environment-badge");
    public ILocator StatusMessage => Page.Locator("#status-message");
    public ILocator ProductionRequestsLink => Page.Locator("#nav-production-requests");

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
        return organizations;
    }

    public ILocator Rows => Page.Locator("#organizations tbody tr");
    public ILocator Search => Page.Locator("#search");
    public ILocator NewOrganizationLink => Page.Locator("#new-organization");
    public ILocator PendingRequests => Page.Locator("#pending-requests");

    public async Task<NewOrganizationPage> OnboardAsync()
    {
        await NewOrganizationLink.ClickAsync();
        var form = new NewOrganizationPage(Page);
        await Expect(form.Form).ToBeVisibleAsync();
        return form;
    }
}

/// <summary>Onboarding, <c>/admin/organizations/new</c>.</summary>
public sealed class NewOrganizationPage(IPage page) : AdminPage(page)
{
    public ILocator Form => Page.Locator("#onboard-form");
    public ILocator Name => Page.Locator("#organization-name-input");
    public ILocator FirstUserEmail => Page.Locator("#first-user-email");
    public ILocator OnboardButton => Page.Locator("#onboard");

    public async Task FillAsync(string name, string email)
    {
        await Name.FillAsync(name);
        await FirstUserEmail.FillAsync(email);
    }

    public async Task<AdminOrganizationPage> SubmitAsync(string expectedSlug)
    {
        await OnboardButton.ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex($"/admin/organizations/{Regex.Escape(expectedSlug)}$"));
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
        return new AdminOrganizationPage(page);
    }

    /// <summary>A realm's section: "dev" or "prod".</summary>
    public ILocator Realm(string environment) => Page.Locator($"#realm-{environment}");

    public ILocator Key(string environment, string heronId) => Realm(environment).Locator($"tr[data-key-id=\"{heronId}\"]");

    public async Task DeactivateAsync(string environment, string heronId)
    {
        await Key(environment, heronId).Locator("button.deactivate").ClickAsync();
        await Expect(StatusMessage).ToContainTextAsync("was deactivated");
    }
}

/// <summary>The production access queue, <c>/admin/production-requests</c>.</summary>
public sealed class ProductionRequestsPage(IPage page) : AdminPage(page)
{
    public static async Task<ProductionRequestsPage> ExpectShownAsync(IPage page)
    {
        var requests = new ProductionRequestsPage(page);
        await Expect(requests.Title).ToHaveTextAsync("Production access requests");
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
        await Request(slug, "Pending").Locator("button.approve").ClickAsync();
        await Expect(StatusMessage).ToContainTextAsync("Approved");
    }

    public async Task RejectAsync(string slug, string reason)
    {
        var request = Request(slug, "Pending");
        await request.Locator("input.reject-reason").FillAsync(reason);
        await request.Locator("button.reject").ClickAsync();
        await Expect(StatusMessage).ToContainTextAsync("Rejected");
    }
}
