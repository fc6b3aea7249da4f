using Heron.Web.Accounts;
using Heron.Web.ApiKeys;
using Heron.Web.Data;
using Heron.Web.Organizations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.Pages.Admin;

/// <summary>An organization as operators see it: realms, accounts, keys' metadata (never a token).</summary>
public sealed class AdminOrganizationModel(HeronDbContext db, ApiKeyService keys) : PageModel
{
    public Organization Organization { get; private set; } = null!;
    public List<HeronUser> Accounts { get; private set; } = [];
    public List<ApiKey> Keys { get; private set; } = [];

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

    private async Task<bool> LoadAsync(string slug)
    {
        var organization = await db.Organizations.AsNoTracking().Include(o => o.Realms)
            .SingleOrDefaultAsync(o => o.Slug == slug && o.Slug != OrganizationService.HeronSlug);
        if (organization is null)
        {
            return false;
        }
        Organization = organization;
        var realmIds = organization.Realms.Select(r => r.Id).ToList();
        Accounts = await db.Users.AsNoTracking().Where(u => realmIds.Contains(u.RealmId)).OrderBy(u => u.CreatedAt).ToListAsync();
        Keys = await db.ApiKeys.AsNoTracking().Where(k => realmIds.Contains(k.RealmId))
            .OrderByDescending(k => k.CreatedAt).ToListAsync();
        return true;
    }
}
