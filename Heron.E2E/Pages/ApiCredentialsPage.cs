using System.Text.RegularExpressions;
using Heron.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Heron.E2E.Pages;

/// <summary>Settings → API Credentials, <c>/{dev|prod}/settings/api-credentials</c>.</summary>
public sealed class ApiCredentialsPage(IPage page, string environment) : DashboardPage(page)
{
    public static string PathFor(string environment) => $"/{environment}/settings/api-credentials";

    public static async Task<ApiCredentialsPage> OpenAsync(IPage page, string environment)
    {
        await page.GotoAsync(PathFor(environment));
        return await ExpectShownAsync(page, environment);
    }

    /// <summary>Waits until the browser is on this realm's API Credentials page, e.g. after signing in.</summary>
    public static async Task<ApiCredentialsPage> ExpectShownAsync(IPage page, string environment)
    {
        await Expect(page).ToHaveURLAsync(new Regex($"{Regex.Escape(PathFor(environment))}$"));
        var credentials = new ApiCredentialsPage(page, environment);
        await Expect(credentials.Title).ToHaveTextAsync("API Credentials");
        await AccessibilityScanner.ScanShownAsync(page);
        return credentials;
    }

    public string Environment { get; } = environment;

    public ILocator EmptyState => Page.GetByRole(AriaRole.Heading, new() { Name = "No API keys yet" });
    public ILocator KeyName => Page.GetByLabel("Name", new() { Exact = true });
    public ILocator CreateButton => Page.GetByRole(AriaRole.Button, new() { Name = "Create API key", Exact = true });
    public ILocator CreateError => Page.Locator("#create-error");
    /// <summary>The keys' rows, without the header row.</summary>
    public ILocator Rows => Page.Locator("#keys").GetByRole(AriaRole.Row).Filter(new() { Has = Page.GetByRole(AriaRole.Cell) });
    public ILocator AntiforgeryToken => Page.Locator("#create-key-form input[name=__RequestVerificationToken]");

    /// <summary>The row whose name cell reads exactly <paramref name="name"/>.</summary>
    public KeyRow Row(string name) =>
        new(Rows.Filter(new() { Has = Page.GetByRole(AriaRole.Cell, new() { Name = name, Exact = true }) }));

    public TokenDialog TokenDialog => new(Page);

    public DeleteDialog DeleteDialog => new(Page);

    /// <summary>Types a name and presses Create; the dialog with the new token opens.</summary>
    public async Task<TokenDialog> CreateKeyAsync(string name)
    {
        await KeyName.FillAsync(name);
        await CreateButton.ClickAsync();
        return await TokenDialog.ExpectOpenAsync();
    }

    /// <summary>
    /// Creates a key, reads its token from the dialog (registered as a secret of the test), closes the dialog
    /// and waits for the reloaded list to show the key.
    /// </summary>
    public async Task<string> CreateKeyAndCloseAsync(TestSecrets secrets, string name)
    {
        var dialog = await CreateKeyAsync(name);
        var token = secrets.Add(await dialog.ReadTokenAsync());
        await dialog.CloseAsync();
        await Expect(Row(name).Locator).ToBeVisibleAsync();
        return token;
    }

    public async Task<ProductionPage> OpenProductionAccessAsync()
    {
        await ProductionAccessLink.ClickAsync();
        return await ProductionPage.ExpectShownAsync(Page);
    }
}

/// <summary>One key in the list.</summary>
public sealed class KeyRow(ILocator row)
{
    public ILocator Locator => row;
    public ILocator Name => row.Locator(".name");
    public ILocator Prefix => row.Locator(".prefix");
    public ILocator Status => row.Locator(".status");
    public ILocator LastUsed => row.Locator(".last-used");
    public ILocator CreatedBy => row.Locator(".created-by");
    public ILocator Rejections => row.Locator(".rejections");
    public ILocator DeactivateButton => row.GetByRole(AriaRole.Button, new() { Name = "Deactivate", Exact = true });
    public ILocator ReactivateButton => row.GetByRole(AriaRole.Button, new() { Name = "Reactivate", Exact = true });
    public ILocator DeleteButton => row.GetByRole(AriaRole.Button, new() { Name = "Delete…", Exact = true });

    public async Task<string> HeronIdAsync() =>
        await row.GetAttributeAsync("data-key-id") ?? throw new InvalidOperationException("The row has no data-key-id.");

    public async Task DeactivateAsync()
    {
        await DeactivateButton.ClickAsync();
        await Expect(ReactivateButton).ToBeVisibleAsync();
    }

    public async Task ReactivateAsync()
    {
        await ReactivateButton.ClickAsync();
        await Expect(DeactivateButton).ToBeVisibleAsync();
    }
}

/// <summary>The dialog that shows a new key's token, once.</summary>
public sealed class TokenDialog(IPage page)
{
    public ILocator Dialog => page.GetByRole(AriaRole.Dialog, new() { Name = "Your new API key" });
    public ILocator Token => Dialog.GetByRole(AriaRole.Textbox, new() { Name = "API key token" });
    public ILocator CurlExample => Dialog.GetByRole(AriaRole.Region, new() { Name = "Try it with curl" });
    /// <summary>"Copy", and "Copied" once pressed.</summary>
    public ILocator CopyButton => Dialog.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Cop(y|ied)$") });
    public ILocator CopyStatus => Dialog.GetByRole(AriaRole.Status);
    public ILocator CloseButton => Dialog.GetByRole(AriaRole.Button, new() { Name = "I have stored it safely — close" });

    /// <summary>Waits for the dialog and scans it: it appears without a navigation, so nothing else would.</summary>
    public async Task<TokenDialog> ExpectOpenAsync()
    {
        await Expect(Dialog).ToBeVisibleAsync();
        await Expect(Token).Not.ToHaveValueAsync("");
        await AccessibilityScanner.ScanAsync(page, "the token dialog");
        return this;
    }

    /// <summary>What a screenshot of the dialog must black out: the token and the curl line that repeats it.</summary>
    public ILocator[] Secrets => [Token, CurlExample];

    public async Task<string> ReadTokenAsync() => await Token.InputValueAsync();

    public async Task CloseAsync()
    {
        await CloseButton.ClickAsync();
        await Expect(Dialog).ToBeHiddenAsync();
    }
}

/// <summary>The confirmation before a key is deleted.</summary>
public sealed class DeleteDialog(IPage page)
{
    public ILocator Dialog => page.GetByRole(AriaRole.Dialog, new() { Name = "Delete API key?" });
    public ILocator KeyName => page.Locator("#delete-key-name");
    public ILocator ConfirmButton => Dialog.GetByRole(AriaRole.Button, new() { Name = "Delete permanently" });
    public ILocator CancelButton => Dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" });

    /// <summary>Waits for the confirmation and scans it.</summary>
    public async Task<DeleteDialog> ExpectOpenAsync()
    {
        await Expect(Dialog).ToBeVisibleAsync();
        await AccessibilityScanner.ScanAsync(page, "the delete confirmation");
        return this;
    }
}
