using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Heron.Web.Pages.Environments;

public sealed class IndexModel : PageModel
{
    public IActionResult OnGet(string environment) => RedirectToPage("Settings/ApiCredentials", new { environment });
}
