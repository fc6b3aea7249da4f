using Heron.Web.Accounts;
using Heron.Web.Common;
using Heron.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.Pages.Dashboard;

public sealed class TeamModel(AccountService accounts, HeronDbContext db, TimeProvider clock) : PageModel
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
        var realm = await db.Realms.Include(r => r.Organization).SingleAsync(r => r.Id == Session.RealmId);
        try
        {
            var invited = await accounts.InviteAsync(realm, Email ?? "", Session.ToActor(HttpContext), HttpContext.RequestAborted);
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
