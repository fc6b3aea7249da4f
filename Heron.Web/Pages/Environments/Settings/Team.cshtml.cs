using Heron.Web.Accounts;
using Heron.Web.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Heron.Web.Pages.Environments.Settings;

public sealed class TeamModel(AccountService accounts, InvitationService invitations, TimeProvider clock) : PageModel
{
    public RealmSession Session => HttpContext.RealmSession();
    public List<HeronUser> Members { get; private set; } = [];
    public DateTime Now { get; } = clock.GetUtcNow().UtcDateTime;

    [BindProperty]
    public string? Email { get; set; }

    [TempData]
    public string? StatusMessage { get; set; }

    public async Task OnGetAsync() => Members = await accounts.MembersAsync(Session.RealmId, HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostAsync()
    {
        try
        {
            var invited = await invitations.InviteAsync(Session.RealmId, Email ?? "", Session.ToActor(HttpContext), HttpContext.RequestAborted);
            StatusMessage = $"Invitation sent to {invited.Email}.";
            return RedirectToPage();
        }
        catch (HeronRuleException ex)
        {
            ModelState.AddModelError("", ex.Message);
            Members = await accounts.MembersAsync(Session.RealmId, HttpContext.RequestAborted);
            return Page();
        }
    }
}
