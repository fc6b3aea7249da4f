using Heron.Web.Accounts;
using Heron.Web.ApiKeys;
using Heron.Web.Organizations;
using Heron.Web.TwoFactor;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Heron.Web.Pages.Admin.Organizations;

/// <summary>An organization as operators see it: realms, accounts, keys' metadata (never a token).</summary>
public sealed class DetailsModel(OrganizationService organizations, AccountService accounts, ApiKeyService keys, TwoFactorPolicy twoFactor,
    SessionService sessions, TimeProvider clock) : PageModel
{
    public Organization Organization { get; private set; } = null!;
    public List<HeronUser> Accounts { get; private set; } = [];
    public List<ApiKey> Keys { get; private set; } = [];
    public DateTime Now { get; } = clock.GetUtcNow().UtcDateTime;

    [TempData]
    public string? StatusMessage { get; set; }

    public async Task<IActionResult> OnGetAsync(string slug) => await LoadAsync(slug) ? Page() : NotFound();

    /// <summary>Incident response: an operator can deactivate any key; the customer's audit log names the operator.</summary>
    public async Task<IActionResult> OnPostDeactivateAsync(string slug, string heronId)
    {
        if (!await LoadAsync(slug) || Keys.SingleOrDefault(k => k.HeronId == heronId && !k.IsDeleted) is not { } key)
        {
            return NotFound();
        }
        var session = HttpContext.RealmSession();
        await keys.SetActiveAsync(key.RealmId, heronId, active: false, session.ToActor(HttpContext), HttpContext.RequestAborted);
        StatusMessage = $"“{key.Name}” ({key.TokenPrefix}…) was deactivated.";
        return RedirectToPage(new { slug });
    }

    /// <summary>Requires two-factor sign-in for the production realm (or stops); audited in that realm under the operator's name.</summary>
    public async Task<IActionResult> OnPostTwoFactorAsync(string slug, bool required)
    {
        if (!await LoadAsync(slug) || Organization.Realms.All(r => r.Kind != RealmKind.Production))
        {
            return NotFound();
        }
        await twoFactor.SetRequiredForProductionAsync(slug, required, HttpContext.RealmSession().ToActor(HttpContext), HttpContext.RequestAborted);
        StatusMessage = required
            ? "Two-factor sign-in is now required for production: accounts without it enrol at their next sign-in."
            : "Two-factor sign-in is no longer required for production.";
        return RedirectToPage(new { slug });
    }

    /// <summary>The most days a new production key may live (empty: no limit); audited in that realm under the operator's name.</summary>
    public async Task<IActionResult> OnPostKeyLifetimeAsync(string slug, string? days)
    {
        if (!await LoadAsync(slug) || Organization.Realms.All(r => r.Kind != RealmKind.Production))
        {
            return NotFound();
        }
        int? limit = null;
        if (!string.IsNullOrWhiteSpace(days))
        {
            if (!int.TryParse(days.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
            {
                StatusMessage = $"“{(days.Length > 20 ? days[..20] + "…" : days)}” is not a number of days; the limit is unchanged.";
                return RedirectToPage(new { slug });
            }
            limit = parsed;
        }
        try
        {
            await keys.SetMaxLifetimeAsync(slug, limit, HttpContext.RealmSession().ToActor(HttpContext), HttpContext.RequestAborted);
        }
        catch (Common.HeronRuleException ex)
        {
            StatusMessage = ex.Message + " The limit is unchanged.";
            return RedirectToPage(new { slug });
        }
        StatusMessage = limit is { } d
            ? $"New production keys must now expire within {d} day{(d == 1 ? "" : "s")}."
            : "New production keys may now live for ever.";
        return RedirectToPage(new { slug });
    }

    /// <summary>Incident response: every dashboard session of the account ends at once, on every instance.</summary>
    public async Task<IActionResult> OnPostSignOutEverywhereAsync(string slug, string userId)
    {
        if (!await LoadAsync(slug) || Accounts.SingleOrDefault(a => a.Id == userId) is not { } account)
        {
            return NotFound();
        }
        var ended = await sessions.EndEverywhereAsync(account, HttpContext.RealmSession().ToActor(HttpContext), HttpContext.RequestAborted);
        StatusMessage = $"{account.Email} was signed out everywhere ({(ended == 1 ? "1 session" : $"{ended} sessions")}).";
        return RedirectToPage(new { slug });
    }

    private async Task<bool> LoadAsync(string slug)
    {
        if (await organizations.FindCustomerAsync(slug, HttpContext.RequestAborted) is not { } organization)
        {
            return false;
        }
        Organization = organization;
        var realmIds = organization.Realms.Select(r => r.Id).ToList();
        Accounts = await accounts.MembersAsync(realmIds, HttpContext.RequestAborted);
        Keys = await keys.ListForRealmsAsync(realmIds, HttpContext.RequestAborted);
        return true;
    }
}
