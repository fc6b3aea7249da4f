using Heron.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Heron.Web.Pages.Account;

public sealed class ResetPasswordModel(AccountService accounts) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "user")]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public NewPasswordInput Input { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    public bool LinkValid { get; private set; }

    public async Task OnGetAsync()
    {
        // The link carries a secret: keep it out of caches and of any Referer header.
        Response.Headers.CacheControl = "no-store";
        LinkValid = await accounts.FindForResetAsync(UserId, Token) is not null;
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Response.Headers.CacheControl = "no-store";
        var user = await accounts.FindForResetAsync(UserId, Token);
        LinkValid = user is not null;
        if (user is null || !ModelState.IsValid)
        {
            return Page();
        }
        var result = await accounts.ResetPasswordAsync(HttpContext, user, Token!, Input.Password);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError("", error.Description);
            }
            return Page();
        }
        StatusMessage = "Your password was changed and every session of the account was signed out. Sign in with your new password.";
        return RedirectToPage("Login", new { environment = await accounts.EnvironmentOfAsync(user) });
    }
}
