using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Heron.Web.Pages.Account;

/// <summary>
/// A page opened from an emailed link that carries a user id and a single-use token, where a new
/// password is chosen (an invitation, a password reset). The token is a secret: responses are never cached.
/// </summary>
public abstract class PasswordLinkPageModel : PageModel
{
    [BindProperty(SupportsGet = true, Name = "user")]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public NewPasswordInput Input { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    protected void DoNotCache() => Response.Headers.CacheControl = "no-store";
}

public static class IdentityResultExtensions
{
    /// <summary>Shows Identity's reasons (too short, too common, wrong current password) on the form.</summary>
    public static void AddErrors(this ModelStateDictionary modelState, IdentityResult result)
    {
        foreach (var error in result.Errors)
        {
            modelState.AddModelError("", error.Description);
        }
    }
}
