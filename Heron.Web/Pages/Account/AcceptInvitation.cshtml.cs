using Heron.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Heron.Web.Pages.Account;

public sealed class AcceptInvitationModel(AccountService accounts) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "user")]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public NewPasswordInput Input { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    public HeronUser? Invited { get; private set; }

    public async Task OnGetAsync()
    {
        Response.Headers.CacheControl = "no-store";
        Invited = await accounts.FindForInvitationAsync(UserId, Token);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Response.Headers.CacheControl = "no-store";
        Invited = await accounts.FindForInvitationAsync(UserId, Token);
        if (Invited is null || !ModelState.IsValid)
        {
            return Page();
        }
        var result = await accounts.AcceptInvitationAsync(HttpContext, Invited, Input.Password);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError("", error.Description);
            }
            return Page();
        }
        StatusMessage = "Your password is set. Sign in to continue.";
        return RedirectToPage("Login", new { environment = await accounts.EnvironmentOfAsync(Invited), email = Invited.Email });
    }
}
