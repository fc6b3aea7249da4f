using System.ComponentModel.DataAnnotations;
using Heron.Web.Accounts;
using Heron.Web.Organizations;
using Heron.Web.TwoFactor;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Heron.Web.Pages.Account;

/// <summary>
/// The second step of signing in (dashboard and operators alike): a code from the authenticator app,
/// or, for an account that must have two-factor and has none yet, enrolling one.
/// </summary>
public sealed class LoginTwoFactorModel(SecondFactorSignIn secondFactor, TwoFactorService twoFactor, SignInThrottle throttle) : PageModel
{
    [BindProperty, Required(ErrorMessage = "Type the 6-digit code from your authenticator app."), StringLength(16)]
    public string Code { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public bool MustEnrol { get; private set; }
    public bool Operator { get; private set; }
    public AuthenticatorSetup? Setup { get; private set; }
    public IReadOnlyList<string>? RecoveryCodes { get; private set; }
    public string ContinueUrl { get; private set; } = "/";

    public async Task<IActionResult> OnGetAsync()
    {
        if (await secondFactor.FindAsync(HttpContext) is not { } challenge)
        {
            return SignInAgain(this, ReturnUrl);
        }
        await ShowAsync(challenge);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await secondFactor.FindAsync(HttpContext) is not { } challenge)
        {
            return SignInAgain(this, ReturnUrl);
        }
        if (!ModelState.IsValid)
        {
            await ShowAsync(challenge);
            return Page();
        }
        if (challenge.MustEnrol)
        {
            var result = await secondFactor.EnrolAndSignInAsync(HttpContext, challenge, Code, twoFactor);
            if (!result.Succeeded)
            {
                ModelState.AddModelError(nameof(Code), result.Error!);
                await ShowAsync(challenge);
                return Page();
            }
            // Shown in this response only; the session has started, the next link leaves the sign-in.
            RecoveryCodes = result.RecoveryCodes;
            ContinueUrl = SafeReturnUrl(challenge.Kind, ReturnUrl, Url);
            Response.Headers.CacheControl = "no-store";
            return Page();
        }
        // Code guesses spend the same per-address budget as password guesses.
        if (throttle.TryReserve(HttpContext) is not null)
        {
            await ShowAsync(challenge);
            return throttle.TooManyAttempts(this);
        }
        switch (await secondFactor.SignInWithCodeAsync(HttpContext, challenge, Code))
        {
            case SecondFactorOutcome.SignedIn:
                throttle.Refund(HttpContext);
                return LocalRedirect(SafeReturnUrl(challenge.Kind, ReturnUrl, Url));
            case SecondFactorOutcome.LockedOut:
                ModelState.AddModelError(nameof(Code), TwoFactorCodes.LockedOut);
                break;
            default:
                ModelState.AddModelError(nameof(Code), "That code does not match, or it was already used. Type the current 6-digit code from your authenticator app, or use a recovery code.");
                break;
        }
        Code = "";
        await ShowAsync(challenge);
        return Page();
    }

    private async Task ShowAsync(SecondFactorChallenge challenge)
    {
        // A setup key, or a sign-in in progress: nothing for a cache to keep.
        Response.Headers.CacheControl = "no-store";
        MustEnrol = challenge.MustEnrol;
        Operator = challenge.Kind == RealmKind.Internal;
        if (MustEnrol)
        {
            var status = await twoFactor.StatusAsync(challenge.User, HttpContext.RequestAborted);
            Setup = status.Setup ?? await twoFactor.BeginSetupAsync(HttpContext, challenge.User, signedIn: false);
        }
    }

    /// <summary>Only a local page of the realm signed in to; anything else goes to that realm's home.</summary>
    internal static string SafeReturnUrl(RealmKind kind, string? returnUrl, IUrlHelper url)
    {
        var prefix = kind == RealmKind.Internal ? "/admin" : $"/{kind.Environment()}/";
        var home = kind == RealmKind.Internal ? "/admin" : $"/{kind.Environment()}/settings/api-credentials";
        return returnUrl is { } target && url.IsLocalUrl(target) && target.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
               && !target.StartsWith("/admin/login", StringComparison.OrdinalIgnoreCase)
            ? target
            : home;
    }

    /// <summary>No pending sign-in (none, expired after five minutes, or for another account): back to the password.</summary>
    internal static IActionResult SignInAgain(PageModel page, string? returnUrl)
    {
        if (returnUrl?.StartsWith("/admin", StringComparison.OrdinalIgnoreCase) == true)
        {
            return page.LocalRedirect("/admin/login");
        }
        page.TempData["StatusMessage"] = "Your sign-in expired. Sign in again with your password.";
        return page.LocalRedirect("/account/login");
    }
}
