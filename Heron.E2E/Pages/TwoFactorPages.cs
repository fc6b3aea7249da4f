using System.Text.RegularExpressions;
using Heron.E2E.Infrastructure;
using Heron.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Heron.E2E.Pages;

/// <summary>Where an authenticator app is set up: the QR code, the setup key as text, and a field for its first code.</summary>
public abstract class AuthenticatorEnrolment(IPage page)
{
    public IPage Page { get; } = page;
    public ILocator QrCode => Page.GetByRole(AriaRole.Img, new() { Name = "QR code to set up Heron in an authenticator app" });
    public ILocator SetupKey => Page.GetByLabel("Setup key");
    public ILocator Code => Page.GetByLabel("Authentication code");
    public ILocator RecoveryCodes => Page.GetByRole(AriaRole.List, new() { Name = "Recovery codes" }).GetByRole(AriaRole.Listitem);

    /// <summary>Reads the setup key off the page as a person would, and returns it (registered as a secret).</summary>
    public async Task<string> ReadSetupKeyAsync(TestSecrets secrets)
    {
        await Expect(QrCode).ToBeVisibleAsync();
        var key = secrets.Add((await SetupKey.InputValueAsync()).Trim());
        Assert.Matches("^([a-z2-7]{4} )+[a-z2-7]{1,4}$", key);
        return key;
    }

    public async Task<List<string>> ReadRecoveryCodesAsync(TestSecrets secrets)
    {
        await Expect(RecoveryCodes).ToHaveCountAsync(10);
        return (await RecoveryCodes.AllInnerTextsAsync()).Select(c => secrets.Add(c.Trim())).ToList();
    }
}

/// <summary>Settings → Two-factor, <c>/{environment}/settings/two-factor</c> (and <c>/admin/two-factor</c>).</summary>
public sealed class TwoFactorSettingsPage(IPage page) : AuthenticatorEnrolment(page)
{
    public ILocator Title => Page.GetByRole(AriaRole.Heading, new() { Name = "Two-factor sign-in", Level = 1 });
    public ILocator Status => Page.Locator("#two-factor-status");
    public ILocator SetUpButton => Page.GetByRole(AriaRole.Button, new() { Name = "Set up an authenticator app" });
    public ILocator TurnOnButton => Page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor sign-in" });

    public static async Task<TwoFactorSettingsPage> OpenFromNavigationAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Two-factor" }).ClickAsync();
        var settings = new TwoFactorSettingsPage(page);
        await Expect(settings.Title).ToBeVisibleAsync();
        return settings;
    }

    /// <summary>Set up → scan (the test reads the setup key) → type the app's code → the ten recovery codes, shown once.</summary>
    public async Task<(string SetupKey, List<string> RecoveryCodes)> EnrolAsync(TestSecrets secrets)
    {
        await Expect(Status).ToContainTextAsync("off");
        await Page.SubmitAsync(() => SetUpButton.ClickAsync());
        var key = await ReadSetupKeyAsync(secrets);
        await Screenshots.SaveAsync(Page, "two-factor-setup", QrCode, SetupKey);
        await Code.FillAsync(Totp.Code(key));
        await Page.SubmitAsync(() => TurnOnButton.ClickAsync());
        var codes = await ReadRecoveryCodesAsync(secrets);
        await Expect(Status).ToContainTextAsync("on");
        return (key, codes);
    }
}

/// <summary>The second step of signing in, <c>/account/login/two-factor</c>: a code, or enrolling when the realm requires it.</summary>
public sealed class SecondFactorPage(IPage page) : AuthenticatorEnrolment(page)
{
    public ILocator Title => Page.GetByRole(AriaRole.Heading, new() { Level = 1 });
    public ILocator VerifyButton => Page.GetByRole(AriaRole.Button, new() { Name = "Verify" });
    public ILocator TurnOnButton => Page.GetByRole(AriaRole.Button, new() { Name = "Turn on and continue" });
    public ILocator RecoveryCodeLink => Page.GetByRole(AriaRole.Link, new() { Name = "Use a recovery code" });
    public ILocator ContinueLink => Page.GetByRole(AriaRole.Link, new() { Name = "I have saved my recovery codes: continue" });

    public static async Task<SecondFactorPage> ExpectShownAsync(IPage page, string title = "Two-factor sign-in")
    {
        await Expect(page).ToHaveURLAsync(new Regex("/account/login/two-factor"));
        var second = new SecondFactorPage(page);
        await Expect(second.Title).ToHaveTextAsync(title);
        return second;
    }

    public async Task VerifyAsync(string code)
    {
        await Code.FillAsync(code);
        await Page.SubmitAsync(() => VerifyButton.ClickAsync());
    }

    public async Task<RecoveryCodePage> UseRecoveryCodeAsync()
    {
        await RecoveryCodeLink.ClickAsync();
        var recovery = new RecoveryCodePage(Page);
        await Expect(recovery.Title).ToBeVisibleAsync();
        return recovery;
    }

    /// <summary>Forced enrolment at sign-in: reads the key, types the code, reads the recovery codes.</summary>
    public async Task<(string SetupKey, List<string> RecoveryCodes)> EnrolAsync(TestSecrets secrets)
    {
        var key = await ReadSetupKeyAsync(secrets);
        await Code.FillAsync(Totp.Code(key));
        await Page.SubmitAsync(() => TurnOnButton.ClickAsync());
        await Expect(Title).ToHaveTextAsync("Two-factor sign-in is on");
        return (key, await ReadRecoveryCodesAsync(secrets));
    }
}

/// <summary><c>/account/login/recovery-code</c>: one of the saved recovery codes instead of the app.</summary>
public sealed class RecoveryCodePage(IPage page)
{
    public IPage Page { get; } = page;
    public ILocator Title => Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in with a recovery code" });
    public ILocator RecoveryCode => Page.GetByLabel("Recovery code");
    public ILocator SignInButton => Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" });
    public ILocator Error => Page.Locator("#recovery-code-error");

    public async Task SignInAsync(string code)
    {
        await RecoveryCode.FillAsync(code);
        await Page.SubmitAsync(() => SignInButton.ClickAsync());
    }
}
