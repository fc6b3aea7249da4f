using System.Globalization;
using Heron.Web.Accounts;
using Heron.Web.Audit;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Heron.Web.Pages.Environments.Settings;

public sealed class AuditLogModel(AuditTrail audit, TimeProvider clock) : PageModel
{
    public RealmSession Session => HttpContext.RealmSession();
    public List<AuditEntry> Entries { get; private set; } = [];
    public DateTime Now { get; } = clock.GetUtcNow().UtcDateTime;

    public async Task OnGetAsync(string? before)
    {
        DateTime? cursor = DateTime.TryParse(before, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;
        Entries = await audit.PageAsync(Session.RealmId, cursor, HttpContext.RequestAborted);
    }
}
