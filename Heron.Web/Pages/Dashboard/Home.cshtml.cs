using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Heron.Web.Pages.Dashboard;

public sealed class HomeModel : PageModel
{
    public IActionResult OnGet(string environment) => RedirectToPage("ApiCredentials", new { environment });
}
