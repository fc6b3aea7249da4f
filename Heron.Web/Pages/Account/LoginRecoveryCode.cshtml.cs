using System.ComponentModel.DataAnnotations;
using Heron.Web.Accounts;
using Heron.Web.TwoFactor;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Heron.Web.Pages.Account;

/// <summary>The second step with one of the account's recovery codes, for when the authenticator app is lost. Each code works once.</summary>
public sealed class LoginRecoveryCodeModel(SecondFactorSignIn secondFactor, SignInThrottle throttle) : PageModel
{
    [BindProperty, Required(ErrorMessage = "Type one of your recovery codes."), StringLength(32)]
    public string RecoveryCode { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        await secondFactor.FindAsync(HttpContext) is { MustEnrol: false } ? Page() : LoginTwoFactorModel.SignInAgain(this, ReturnUrl);

    public async Task<IActionResult> OnPostAsync()
    {
        if (await secondFactor.FindAsync(HttpContext) is not { MustEnrol: false } challenge)
        {
            return LoginTwoFactorModel.SignInAgain(this, ReturnUrl);
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        if (throttle.TryReserve(HttpContext) is not null)
        {
            return throttle.TooManyAttempts(this);
        }
        switch (await secondFactor.SignInWithRecoveryCodeAsync(HttpContext, challenge, RecoveryCode))
        {
            case SecondFactorOutcome.SignedIn:
                throttle.Refund(HttpContext);
                return LocalRedirect(LoginTwoFactorModel.SafeReturnUrl(challenge.Kind, ReturnUrl, Url));
            case SecondFactorOutcome.LockedOut:
                ModelState.AddModelError(nameof(RecoveryCode), TwoFactorCodes.LockedOut);
                break;
            default:
                ModelState.AddModelError(nameof(RecoveryCode), "That recovery code does not match, or it was already used. Each code works once.");
                break;
        }
        RecoveryCode = "";
        return Page();
    }
}
