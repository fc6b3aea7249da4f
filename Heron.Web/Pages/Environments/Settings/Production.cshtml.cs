using Heron.Web.Accounts;
using Heron.Web.Common;
using Heron.Web.Production;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Heron.Web.Organizations;

namespace Heron.Web.Pages.Environments.Settings;

public sealed class ProductionModel(ProductionAccessService production) : PageModel
{
    public ProductionAccessRequest? Latest { get; private set; }
    public bool HasProduction { get; private set; }

    [BindProperty]
    public string? Note { get; set; }

    [TempData]
    public string? StatusMessage { get; set; }

    /// <summary>Production credentials are asked for from the development dashboard; production has no such page.</summary>
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        if (HttpContext.RealmSession().RealmKind != RealmKind.Development)
        {
            context.Result = NotFound();
        }
    }

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
