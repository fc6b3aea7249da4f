using System.ComponentModel.DataAnnotations;
using Heron.Web.Accounts;
using Heron.Web.Organizations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Heron.Web.Pages.Admin;

public sealed class AdminLoginModel(SignInService signIn, SignInThrottle throttle) : PageModel
{
    [BindProperty, Required, EmailAddress]
    public string Email { get; set; } = "";

    [BindProperty, Required, DataType(DataType.Password)]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        switch (await signIn.SignInAsync(HttpContext, Email, Password, RealmKind.Internal))
        {
            case SignInOutcome.SignedIn:
                return LocalRedirect(ReturnUrl is { } url && Url.IsLocalUrl(url) && url.StartsWith("/admin", StringComparison.OrdinalIgnoreCase) ? url : "/admin");
            case SignInOutcome.RequiresTwoFactor:
                return RedirectToPage("/Account/LoginTwoFactor", new { returnUrl = ReturnUrl is { } next && Url.IsLocalUrl(next) && next.StartsWith("/admin", StringComparison.OrdinalIgnoreCase) ? next : "/admin" });
            case SignInOutcome.Throttled:
                return throttle.TooManyAttempts(this);
            default:
                // The same words for a locked account, so they say nothing about which addresses have one.
                ModelState.AddModelError("", "Wrong email or password. After 5 failed attempts an account is locked for 15 minutes.");
                return Page();
        }
    }
}
