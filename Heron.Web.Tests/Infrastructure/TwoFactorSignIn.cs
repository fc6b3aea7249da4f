using System.Net;
using System.Text.RegularExpressions;
using Heron.Testing;

namespace Heron.Web.Tests.Infrastructure;

/// <summary>Drives the two-factor pages over HTTP: enrolment in Settings or at sign-in, and the second step.</summary>
public static partial class TwoFactorSignIn
{
    public const string SecondStep = "/account/login/two-factor";

    /// <summary>The setup key a page shows, as a person would copy it.</summary>
    public static string SetupKeyOf(string html) =>
        SetupKey().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException("The page shows no setup key.");

    public static List<string> RecoveryCodesOf(string html) =>
        RecoveryCode().Matches(html.Split("id=\"recovery-codes\"", 2).ElementAtOrDefault(1) ?? "").Select(m => m.Groups[1].Value).ToList();

    /// <summary>Settings → Two-factor → Set up, scan, confirm with a code; returns the setup key and the recovery codes shown.</summary>
    public static async Task<(string SetupKey, List<string> RecoveryCodes)> EnrolAsync(this DashboardClient client, string settingsPage)
    {
        var setUp = await client.PostFormAsync(settingsPage, $"{settingsPage}?handler=SetUp", new());
        Assert.Equal(HttpStatusCode.Redirect, setUp.StatusCode);
        var key = SetupKeyOf(await client.Http.GetStringAsync(settingsPage));
        var enabled = await client.PostFormAsync(settingsPage, $"{settingsPage}?handler=Enable", new() { ["Code"] = Totp.Code(key) });
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        var codes = RecoveryCodesOf(await enabled.Content.ReadAsStringAsync());
        Assert.Equal(10, codes.Count);
        return (key, codes);
    }

    /// <summary>Posts <paramref name="code"/> on the second step of a sign-in that is waiting for it.</summary>
    public static Task<HttpResponseMessage> SecondFactorAsync(this DashboardClient client, string code, string returnUrl = "") =>
        client.PostFormAsync($"{SecondStep}?returnUrl={Uri.EscapeDataString(returnUrl)}",
            $"{SecondStep}?returnUrl={Uri.EscapeDataString(returnUrl)}", new() { ["Code"] = code });

    public static Task<HttpResponseMessage> RecoveryCodeAsync(this DashboardClient client, string code) =>
        client.PostFormAsync("/account/login/recovery-code", "/account/login/recovery-code", new() { ["RecoveryCode"] = code });

    /// <summary>
    /// An operator's first sign-in: the password, then the enrolment Heron insists on, confirmed with a
    /// code. Returns the setup key, for the codes of later sign-ins.
    /// </summary>
    public static async Task<string> SignInAsNewOperatorAsync(this DashboardClient client, string email, string password)
    {
        var signIn = await client.SignInAsOperatorAsync(email, password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.StartsWith(SecondStep, signIn.Headers.Location!.ToString());
        var key = SetupKeyOf(await client.Http.GetStringAsync(signIn.Headers.Location));
        var enrolled = await client.SecondFactorAsync(Totp.Code(key), "/admin");
        Assert.Equal(HttpStatusCode.OK, enrolled.StatusCode);
        Assert.Equal(10, RecoveryCodesOf(await enrolled.Content.ReadAsStringAsync()).Count);
        return key;
    }

    /// <summary>An enrolled operator signing in with password and the app's next code (the current one is spent by the enrolment).</summary>
    public static async Task<HttpResponseMessage> SignInAsOperatorAsync(this DashboardClient client, string email, string password, string setupKey)
    {
        var signIn = await client.SignInAsOperatorAsync(email, password);
        Assert.StartsWith(SecondStep, signIn.Headers.Location!.ToString());
        return await client.SecondFactorAsync(Totp.NextCode(setupKey), "/admin");
    }

    [GeneratedRegex("id=\"setup-key\" class=\"setup-key\" value=\"([a-z2-7 ]+)\"")]
    private static partial Regex SetupKey();

    [GeneratedRegex("<li><code>([A-Z0-9-]+)</code></li>")]
    private static partial Regex RecoveryCode();
}
