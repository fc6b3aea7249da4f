using Heron.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Heron.Web.Pages.Environments;

public sealed class SignOutModel(SignInService signIn) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("Settings/ApiCredentials", new { environment = HttpContext.RealmSession().Environment });

    public async Task<IActionResult> OnPostAsync()
    {
        var session = HttpContext.RealmSession();
        await signIn.SignOutAsync(HttpContext, session.RealmKind);
        return RedirectToPage("/Account/Login", new { environment = session.Environment });
    }
}
