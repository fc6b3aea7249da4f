using System.ComponentModel.DataAnnotations;
using Heron.Web.Accounts;
using Heron.Web.Organizations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Heron.Web.Pages.Account;

public sealed class LoginModel(SignInService signIn, SignInThrottle throttle) : PageModel
{
    /// <summary>Remembers the environment chosen last time; not a credential.</summary>
    public const string EnvironmentCookie = "heron.environment";

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [TempData]
    public string? StatusMessage { get; set; }

    public sealed class InputModel
    {
        [Required, EmailAddress, StringLength(254)]
        public string Email { get; set; } = "";

        [Required, DataType(DataType.Password), StringLength(1024)]
        public string Password { get; set; } = "";

        [Required, RegularExpression("^(dev|prod)$", ErrorMessage = "Choose Development or Production.")]
        public string Environment { get; set; } = "dev";
    }

    public void OnGet(string? environment, string? email)
    {
        Input.Environment = environment is "dev" or "prod" ? environment
            : Request.Cookies[EnvironmentCookie] is "prod" ? "prod" : "dev";
        Input.Email = email ?? "";
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid || !RealmKindExtensions.TryParseCustomerRealm(Input.Environment, out var kind))
        {
            return Page();
        }
        var outcome = await signIn.SignInAsync(HttpContext, Input.Email, Input.Password, kind);
        switch (outcome)
        {
            case SignInOutcome.SignedIn or SignInOutcome.RequiresTwoFactor:
                Response.Cookies.Append(EnvironmentCookie, Input.Environment,
                    new CookieOptions { MaxAge = TimeSpan.FromDays(365), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true });
                return outcome == SignInOutcome.RequiresTwoFactor
                    ? RedirectToPage("/Account/LoginTwoFactor", new { returnUrl = SafeReturnUrl(kind) })
                    : LocalRedirect(SafeReturnUrl(kind));
            case SignInOutcome.Throttled:
                return throttle.TooManyAttempts(this);
            default:
                // The same words for a locked account, so they say nothing about which addresses have one; its owner is emailed.
                ModelState.AddModelError("", $"Wrong email or password for {kind}. Development and production have separate passwords. " +
                    "After 5 failed attempts an account is locked for 15 minutes, or until its password is reset.");
                return Page();
        }
    }

    /// <summary>Only a local page of the realm just signed in to; anything else goes to its API credentials.</summary>
    private string SafeReturnUrl(RealmKind kind)
    {
        var home = $"/{kind.Environment()}/settings/api-credentials";
        return ReturnUrl is { } url && Url.IsLocalUrl(url) && url.StartsWith($"/{kind.Environment()}/", StringComparison.OrdinalIgnoreCase)
            ? url
            : home;
    }
}
