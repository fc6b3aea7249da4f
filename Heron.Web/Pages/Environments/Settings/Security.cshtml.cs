using Heron.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Heron.Web.Pages.Environments.Settings;

/// <summary>Settings → Security: the account's dashboard sessions, each of which can be ended from here.</summary>
public sealed class SecurityModel(SessionService sessions, TimeProvider clock) : PageModel
{
    public RealmSession Session => HttpContext.RealmSession();
    public long? CurrentSessionId => RealmSession.SessionIdOf(User);
    public List<DashboardSession> Sessions { get; private set; } = [];
    public DateTime Now { get; } = clock.GetUtcNow().UtcDateTime;

    [TempData]
    public string? StatusMessage { get; set; }

    public async Task OnGetAsync() => Sessions = await sessions.ListAsync(Session.UserId, HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostEndAsync(long sessionId)
    {
        if (!await sessions.EndAsync(Session.UserId, sessionId, HttpContext.RequestAborted))
        {
            return NotFound();
        }
        if (sessionId == CurrentSessionId)
        {
            return RedirectToPage("/Account/Login", new { environment = Session.Environment });
        }
        StatusMessage = "That session was signed out.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostEndOthersAsync()
    {
        var ended = await sessions.EndAllAsync(Session.UserId, keep: CurrentSessionId ?? 0, HttpContext.RequestAborted);
        StatusMessage = ended == 1 ? "1 other session was signed out." : $"{ended} other sessions were signed out.";
        return RedirectToPage();
    }
}
