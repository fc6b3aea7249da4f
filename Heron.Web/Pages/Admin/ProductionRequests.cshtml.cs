using Heron.Web.Accounts;
using Heron.Web.Audit;
using Heron.Web.Common;
using Heron.Web.Production;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Heron.Web.Pages.Admin;

public sealed class ProductionRequestsModel(ProductionAccessService production) : PageModel
{
    public List<ProductionAccessRequest> Queue { get; private set; } = [];

    [TempData]
    public string? StatusMessage { get; set; }

    public async Task OnGetAsync() => Queue = await production.QueueAsync(HttpContext.RequestAborted);

    public Task<IActionResult> OnPostApproveAsync(int id) =>
        DecideAsync(async actor =>
        {
            var realm = await production.ApproveAsync(id, actor, HttpContext.RequestAborted);
            return $"Approved: production credentials for {realm.Username} were provisioned and the requester was invited.";
        });

    public Task<IActionResult> OnPostRejectAsync(int id, string? reason) =>
        DecideAsync(async actor =>
        {
            await production.RejectAsync(id, reason ?? "", actor, HttpContext.RequestAborted);
            return "Rejected; the requester was told why by email and in the dashboard.";
        });

    private async Task<IActionResult> DecideAsync(Func<Actor, Task<string>> decide)
    {
        try
        {
            StatusMessage = await decide(HttpContext.RealmSession().ToActor(HttpContext));
            return RedirectToPage();
        }
        catch (HeronRuleException ex)
        {
            ModelState.AddModelError("", ex.Message);
            Queue = await production.QueueAsync(HttpContext.RequestAborted);
            return Page();
        }
    }
}
