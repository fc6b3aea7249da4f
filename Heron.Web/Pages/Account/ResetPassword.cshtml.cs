using Heron.Web.Accounts;
using Microsoft.AspNetCore.Mvc;

namespace Heron.Web.Pages.Account;

public sealed class ResetPasswordModel(PasswordService passwords, AccountService accounts) : PasswordLinkPageModel
{
    public bool LinkValid { get; private set; }

    public async Task OnGetAsync()
    {
        DoNotCache();
        LinkValid = await passwords.FindForResetAsync(UserId, Token) is not null;
    }

    public async Task<IActionResult> OnPostAsync()
    {
        DoNotCache();
        var user = await passwords.FindForResetAsync(UserId, Token);
        LinkValid = user is not null;
        if (user is null || !ModelState.IsValid)
        {
            return Page();
        }
        var result = await passwords.ResetAsync(HttpContext, user, Token!, Input.Password);
        if (!result.Succeeded)
        {
            ModelState.AddErrors(result);
            return Page();
        }
        StatusMessage = "Your password was changed and every session of the account was signed out. Sign in with your new password.";
        return RedirectToPage("Login", new { environment = await accounts.EnvironmentOfAsync(user) });
    }
}
