using Heron.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Heron.Web.Pages.Dashboard;

public sealed class SignOutModel(AccountService accounts) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("ApiCredentials", new { environment = HttpContext.RealmSession().Environment });

    public async Task<IActionResult> OnPostAsync()
    {
        var session = HttpContext.RealmSession();
        await accounts.SignOutAsync(HttpContext, session.RealmKind);
        return RedirectToPage("/Account/Login", new { environment = session.Environment });
    }
}
