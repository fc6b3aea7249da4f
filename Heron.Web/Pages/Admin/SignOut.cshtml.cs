using Heron.Web.Accounts;
using Heron.Web.Organizations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Heron.Web.Pages.Admin;

public sealed class AdminSignOutModel(SignInService signIn) : PageModel
{
    public IActionResult OnGet() => Redirect("/admin");

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync(HttpContext, RealmKind.Internal);
        return Redirect("/admin/login");
    }
}
