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
        return credentials;
    }

    public string Environment { get; } = environment;

    public ILocator EmptyState => Page.Locator("#empty-state");
    public ILocator KeyName => Page.Locator("#key-name");
    public ILocator CreateButton => Page.Locator("#create-key");
    public ILocator CreateError => Page.Locator("#create-error");
    public ILocator Rows => Page.Locator("#keys tbody tr");
    public ILocator AntiforgeryToken => Page.Locator("#create-key-form input[name=__RequestVerificationToken]");

    public KeyRow Row(string name) => new(Page.Locator($"#keys tbody tr[data-key-name=\"{name}\"]"));

    public TokenDialog TokenDialog => new(Page);

    public DeleteDialog DeleteDialog => new(Page);

    /// <summary>Types a name and presses Create; the dialog with the new token opens.</summary>
    public async Task<TokenDialog> CreateKeyAsync(string name)
    {
        await KeyName.FillAsync(name);
        await CreateButton.ClickAsync();
        await Expect(TokenDialog.Dialog).ToBeVisibleAsync();
        return TokenDialog;
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
    public ILocator DeactivateButton => row.Locator("button.deactivate");
    public ILocator ReactivateButton => row.Locator("button.reactivate");
    public ILocator DeleteButton => row.Locator("button.delete");

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
    public ILocator Dialog => page.Locator("#token-dialog");
    public ILocator Token => page.Locator("#new-token");
    public ILocator CurlExample => page.Locator("#curl-example");
    public ILocator CopyButton => page.Locator("#copy-token");
    public ILocator CloseButton => page.Locator("#close-token-dialog");

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
    public ILocator Dialog => page.Locator("#delete-dialog");
    public ILocator KeyName => page.Locator("#delete-key-name");
    public ILocator ConfirmButton => page.Locator("#confirm-delete");
    public ILocator CancelButton => page.Locator("#cancel-delete");
}
