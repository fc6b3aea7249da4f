using Heron.Web.Data;
using Heron.Web.Organizations;
using Heron.Web.Production;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.Pages.Admin;

public sealed class AdminIndexModel(HeronDbContext db) : PageModel
{
    public List<Organization> Organizations { get; private set; } = [];
    public string? Query { get; private set; }
    public int PendingRequests { get; private set; }

    public async Task OnGetAsync(string? q)
    {
        Query = q?.Trim();
        var organizations = db.Organizations.AsNoTracking().Include(o => o.Realms).Where(o => o.Slug != OrganizationService.HeronSlug);
        if (!string.IsNullOrEmpty(Query))
        {
            var lowered = Query.ToLowerInvariant();
            organizations = organizations.Where(o => o.Name.ToLower().Contains(lowered) || o.Slug.Contains(lowered));
        }
        Organizations = await organizations.OrderBy(o => o.Name).Take(200).ToListAsync();
        PendingRequests = await db.ProductionAccessRequests.CountAsync(r => r.Status == ProductionRequestStatus.Pending);
    }
}
