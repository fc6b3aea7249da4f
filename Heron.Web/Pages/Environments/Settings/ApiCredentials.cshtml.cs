using Heron.Web.Accounts;
using Heron.Web.ApiKeys;
using Heron.Web.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Heron.Web.Dashboard;
using Heron.Web.Site;

namespace Heron.Web.Pages.Environments.Settings;

/// <summary>
/// Settings → API Credentials: every action is scoped to the signed-in realm; a key of another realm
/// answers 404 and nothing changes. A new token is returned once, as JSON to the page's script, and
/// never placed in the page, TempData, a cookie or a URL.
/// </summary>
public sealed class ApiCredentialsModel(ApiKeyService keys, KeyUsageService usage, TimeProvider clock, IOptions<HeronOptions> heron) : PageModel
{
    public RealmSession Session => HttpContext.RealmSession();
    public const int PageSize = 100;

    public List<ApiKey> Keys { get; private set; } = [];
    public int Total { get; private set; }
    public Dictionary<int, long[]> LastDay { get; private set; } = [];
    /// <summary>The realm's maximum key lifetime, when an operator set one.</summary>
    public TimeSpan? MaxLifetime { get; private set; }

    /// <summary>The expiry choices the realm allows: none past its maximum lifetime, and no "Never" under one.</summary>
    public IEnumerable<(string Value, string Label)> ExpiryChoices => KeyControlsForm.ExpiryChoices.Where(c => MaxLifetime is not { } max
        || c.Value == "date" || (c.Value != "never" && int.Parse(c.Value, System.Globalization.CultureInfo.InvariantCulture) <= max.TotalDays));

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
    public DateTime Now { get; } = clock.GetUtcNow().UtcDateTime;
    public string BaseUrl => heron.Value.Url();

    [TempData]
    public string? StatusMessage { get; set; }

    public async Task OnGetAsync()
    {
        PageNumber = Math.Max(1, PageNumber);
        (Keys, Total) = await keys.PageAsync(Session.RealmId, PageNumber, PageSize, HttpContext.RequestAborted);
        LastDay = await usage.LastDayAsync(Keys.Select(k => k.Id).ToList(), HttpContext.RequestAborted);
        MaxLifetime = await keys.MaxLifetimeAsync(Session.RealmId, HttpContext.RequestAborted);
    }

    /// <summary>Answers JSON for the page's script: the token once, or each problem keyed by the form field it belongs to.</summary>
    public async Task<IActionResult> OnPostCreateAsync(string? name, string? expiry, string? expiryDate, string? access, string? allowedIps)
    {
        Response.Headers.CacheControl = "no-store";
        var errors = new Dictionary<string, string>();
        if (ApiKeyName.Validate(name, out var validName) is { } problem)
        {
            errors["Name"] = problem;
        }
        var controls = KeyControlsForm.Read(expiry, expiryDate, access, allowedIps, Now, errors);
        var expiryField = expiry == "date" ? "ExpiryDate" : "Expiry";
        if (!errors.ContainsKey(expiryField)
            && ApiKeyService.LifetimeProblem(controls.ExpiresAt, await keys.MaxLifetimeAsync(Session.RealmId, HttpContext.RequestAborted), Now) is { } tooLong)
        {
            errors[expiryField] = tooLong;
        }
        if (errors.Count == 0)
        {
            try
            {
                return Issued(await keys.CreateAsync(Session.RealmId, validName, controls, Session.ToActor(HttpContext), HttpContext.RequestAborted));
            }
            catch (HeronRuleException ex)
            {
                errors[expiryField] = ex.Message;   // an operator set the limit just now
            }
        }
        return BadRequest(new { error = string.Join(" ", errors.Select(e => $"{Labels[e.Key]}: {e.Value}")), fields = errors });
    }

    public async Task<IActionResult> OnPostRollAsync(string heronId, int gracePeriodSeconds)
    {
        Response.Headers.CacheControl = "no-store";
        if (gracePeriodSeconds is < 0 or > KeyControls.MaxGracePeriodSeconds)
        {
            return BadRequest(new { error = "Choose when the old key stops working." });
        }
        var rolled = await keys.RollAsync(Session.RealmId, heronId, TimeSpan.FromSeconds(gracePeriodSeconds), Session.ToActor(HttpContext), HttpContext.RequestAborted);
        return rolled is null ? NotFound() : Issued(rolled.Replacement);
    }

    private static readonly Dictionary<string, string> Labels = new()
    {
        ["Name"] = "Name", ["Expiry"] = "Expires", ["ExpiryDate"] = "Expiry date", ["Access"] = "Access", ["AllowedIps"] = "Allowed addresses",
    };

    private JsonResult Issued(IssuedApiKey issued) =>
        new(new { token = issued.Token, name = issued.Key.Name, tokenPrefix = issued.Key.TokenPrefix, heronId = issued.Key.HeronId });

    public async Task<IActionResult> OnPostDeactivateAsync(string heronId) =>
        await ChangeAsync(heronId, active: false, "is deactivated: requests with it are rejected");

    public async Task<IActionResult> OnPostReactivateAsync(string heronId) =>
        await ChangeAsync(heronId, active: true, "is active again");

    public async Task<IActionResult> OnPostDeleteAsync(string heronId)
    {
        if (!await keys.DeleteAsync(Session.RealmId, heronId, Session.ToActor(HttpContext), HttpContext.RequestAborted))
        {
            return NotFound();
        }
        StatusMessage = "The key was deleted.";
        return RedirectToPage();
    }

    private async Task<IActionResult> ChangeAsync(string heronId, bool active, string outcome)
    {
        var key = await keys.SetActiveAsync(Session.RealmId, heronId, active, Session.ToActor(HttpContext), HttpContext.RequestAborted);
        if (key is null)
        {
            return NotFound();
        }
        StatusMessage = $"“{key.Name}” ({key.TokenPrefix}…) {outcome}.";
        return RedirectToPage();
    }
}
