using Heron.Web.Accounts;
using Heron.Web.Common;
using Heron.Web.Production;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Heron.Web.Pages.Dashboard;

public sealed class ProductionModel(ProductionAccessService production) : PageModel
{
    public ProductionAccessRequest? Latest { get; private set; }
    public bool HasProduction { get; private set; }

    [BindProperty]
    public string? Note { get; set; }

    [TempData]
    public string? StatusMessage { get; set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        var session = HttpContext.RealmSession();
        try
        {
            await production.RequestAsync(session, Note, session.ToActor(HttpContext), HttpContext.RequestAborted);
        }
        catch (HeronRuleException ex)
        {
            ModelState.AddModelError("", ex.Message);
            await LoadAsync();
            return Page();
        }
        StatusMessage = "Your request was sent to Heron's team.";
        return RedirectToPage();
    }

    private async Task LoadAsync()
    {
        var session = HttpContext.RealmSession();
        Latest = await production.LatestAsync(session.OrganizationId, HttpContext.RequestAborted);
        HasProduction = await production.HasProductionAsync(session.OrganizationId, HttpContext.RequestAborted);
    }
}
