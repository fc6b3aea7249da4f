using Heron.Web.Accounts;
using Heron.Web.ApiKeys;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Heron.Web.Pages.Environments.Settings;

/// <summary>
/// One key of the signed-in realm and its usage: the last 7 days per hour and the last hour per minute,
/// which is how a customer sees that nothing still uses a deactivated or rolled key. A key of another
/// realm answers 404.
/// </summary>
public sealed class ApiKeyModel(ApiKeyService keys, KeyUsageService usage, TimeProvider clock) : PageModel
{
    public RealmSession Session => HttpContext.RealmSession();
    public ApiKey Key { get; private set; } = null!;
    public List<UsageBucket> Hours { get; private set; } = [];
    public List<UsageBucket> Minutes { get; private set; } = [];
    public DateTime Now { get; } = clock.GetUtcNow().UtcDateTime;

    public async Task<IActionResult> OnGetAsync(string heronId)
    {
        if (await keys.FindAsync(Session.RealmId, heronId, HttpContext.RequestAborted) is not { } key)
        {
            return NotFound();
        }
        Key = key;
        Hours = await usage.GetAsync(key.Id, UsageInterval.Hour, HttpContext.RequestAborted);
        Minutes = await usage.GetAsync(key.Id, UsageInterval.Minute, HttpContext.RequestAborted);
        return Page();
    }
}
