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
    public ILocator Expiry => Page.GetByLabel("Expires", new() { Exact = true });
    public ILocator Access => Page.GetByLabel("Access", new() { Exact = true });
    /// <summary>One address or CIDR range per line.</summary>
    public ILocator AllowedAddresses => Page.GetByLabel("Allowed addresses");
    public ILocator CreateButton => Page.GetByRole(AriaRole.Button, new() { Name = "Create API key", Exact = true });
    public ILocator CreateError => Page.Locator("#create-error");
    /// <summary>The keys' rows, without the header row.</summary>
    public ILocator Rows => Page.Locator("#keys").GetByRole(AriaRole.Row).Filter(new() { Has = Page.GetByRole(AriaRole.Cell) });
    public ILocator AntiforgeryToken => Page.Locator("#create-key-form input[name=__RequestVerificationToken]");

    /// <summary>The row whose name cell reads exactly <paramref name="name"/>.</summary>
    public KeyRow Row(string name) =>
        new(Rows.Filter(new() { Has = Page.GetByRole(AriaRole.Cell, new() { Name = name, Exact = true }) }));

    /// <summary>
    /// The row whose token prefix reads <paramref name="tokenPrefix"/> (a token's first 8 characters): of
    /// keys with one name (a key and the key it was rolled into), the one that token belongs to.
    /// </summary>
    public KeyRow RowWithPrefix(string tokenPrefix) =>
        new(Rows.Filter(new() { Has = Page.GetByRole(AriaRole.Cell, new() { Name = $"{tokenPrefix}…", Exact = true }) }));

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
    /// Fills in the name and the limits, as their labels read (<paramref name="expires"/> "In 7 days",
    /// <paramref name="access"/> "Read-only (…)", one allowed address per line), and presses Create; the
    /// dialog with the new token opens.
    /// </summary>
    public async Task<TokenDialog> CreateKeyAsync(string name, string expires, string access, params string[] allowedAddresses)
    {
        await KeyName.FillAsync(name);
        await Expiry.SelectOptionAsync(new SelectOptionValue { Label = expires });
        await Access.SelectOptionAsync(new SelectOptionValue { Label = access });
        await AllowedAddresses.FillAsync(string.Join("\n", allowedAddresses));
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
    /// <summary>Expiry, access and allowed addresses, in words ("expires in 7 days", "read-only", "2 addresses").</summary>
    public ILocator Limits => row.Locator(".limits");
    /// <summary>When an expiring key stops working: "stops working", then the exact time.</summary>
    public ILocator StopsWorking => Limits.GetByText("stops working");
    public ILocator NameLink => row.GetByRole(AriaRole.Link);
    public ILocator RollButton => row.GetByRole(AriaRole.Button, new() { Name = "Roll…", Exact = true });
    public ILocator DeactivateButton => row.GetByRole(AriaRole.Button, new() { Name = "Deactivate", Exact = true });
    public ILocator ReactivateButton => row.GetByRole(AriaRole.Button, new() { Name = "Reactivate", Exact = true });
    public ILocator DeleteButton => row.GetByRole(AriaRole.Button, new() { Name = "Delete…", Exact = true });

    public async Task<string> HeronIdAsync() =>
        await row.GetAttributeAsync("data-key-id") ?? throw new InvalidOperationException("The row has no data-key-id.");

    /// <summary>When the key stops working, as the row's "stops working" line gives it to the second (its <c>datetime</c>).</summary>
    public async Task<DateTime> StopsWorkingAtAsync()
    {
        await Expect(StopsWorking).ToBeVisibleAsync();
        var at = await StopsWorking.Locator("time").GetAttributeAsync("datetime")
                 ?? throw new InvalidOperationException("The “stops working” line has no time.");
        return DateTime.Parse(at, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind);
    }

    /// <summary>Presses "Roll…"; the dialog that asks when the old key stops working opens.</summary>
    public async Task<RollDialog> OpenRollAsync()
    {
        await RollButton.ClickAsync();
        return await new RollDialog(row.Page).ExpectOpenAsync();
    }

    /// <summary>Follows the key's name to its own page (details and usage).</summary>
    public async Task<ApiKeyPage> OpenAsync()
    {
        var name = await NameLink.InnerTextAsync();
        await NameLink.ClickAsync();
        return await ApiKeyPage.ExpectShownAsync(row.Page, name);
    }

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

/// <summary>The dialog that rolls a key: a new key replaces it, and the old one works for a grace period.</summary>
public sealed class RollDialog(IPage page)
{
    public ILocator Dialog => page.GetByRole(AriaRole.Dialog, new() { Name = "Roll API key" });
    public ILocator KeyName => page.Locator("#roll-key-name");
    public ILocator GracePeriod => Dialog.GetByLabel("The old key stops working");
    public ILocator ConfirmButton => Dialog.GetByRole(AriaRole.Button, new() { Name = "Roll key" });
    public ILocator CancelButton => Dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" });

    /// <summary>Waits for the dialog and scans it.</summary>
    public async Task<RollDialog> ExpectOpenAsync()
    {
        await Expect(Dialog).ToBeVisibleAsync();
        await AccessibilityScanner.ScanAsync(page, "the roll dialog");
        return this;
    }

    /// <summary>Chooses when the old key stops working, as the choice reads ("In 1 hour"), and rolls; the new key's token dialog opens.</summary>
    public async Task<TokenDialog> RollAsync(string oldKeyStopsWorking)
    {
        await GracePeriod.SelectOptionAsync(new SelectOptionValue { Label = oldKeyStopsWorking });
        await ConfirmButton.ClickAsync();
        await Expect(Dialog).ToBeHiddenAsync();
        return await new TokenDialog(page).ExpectOpenAsync();
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
