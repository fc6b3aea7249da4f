using Heron.Web.Accounts;
using Microsoft.AspNetCore.Mvc;

namespace Heron.Web.Pages.Account;

public sealed class AcceptInvitationModel(InvitationService invitations, AccountService accounts) : PasswordLinkPageModel
{
    public HeronUser? Invited { get; private set; }

    public async Task OnGetAsync()
    {
        DoNotCache();
        Invited = await invitations.FindAsync(UserId, Token);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        DoNotCache();
        Invited = await invitations.FindAsync(UserId, Token);
        if (Invited is null || !ModelState.IsValid)
        {
            return Page();
        }
        var result = await invitations.AcceptAsync(HttpContext, Invited, Input.Password);
        if (!result.Succeeded)
        {
            ModelState.AddErrors(result);
            return Page();
        }
        StatusMessage = "Your password is set. Sign in to continue.";
        return RedirectToPage("Login", new { environment = await accounts.EnvironmentOfAsync(Invited), email = Invited.Email });
    }
}
