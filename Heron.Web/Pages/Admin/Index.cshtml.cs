using Heron.Web.Organizations;
using Heron.Web.Production;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Heron.Web.Pages.Admin;

public sealed class AdminIndexModel(OrganizationService organizations, ProductionAccessService production) : PageModel
{
    public List<Organization> Organizations { get; private set; } = [];
    public string? Query { get; private set; }
    public int PendingRequests { get; private set; }

    public async Task OnGetAsync(string? q)
    {
        Query = q?.Trim();
        Organizations = await organizations.SearchAsync(Query, limit: 200, HttpContext.RequestAborted);
        PendingRequests = await production.PendingCountAsync(HttpContext.RequestAborted);
    }
}
