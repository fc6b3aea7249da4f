using System.ComponentModel.DataAnnotations;
using Heron.Web.Accounts;
using Heron.Web.Common;
using Heron.Web.Organizations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Heron.Web.Pages.Admin.Organizations;

public sealed class NewModel(OrganizationService organizations) : PageModel
{
    [BindProperty, Required, StringLength(200)]
    public string Name { get; set; } = "";

    [BindProperty, Required, EmailAddress]
    public string Email { get; set; } = "";

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        try
        {
            var session = HttpContext.RealmSession();
            var onboarding = await organizations.OnboardAsync(Name, Email, session.ToActor(HttpContext), HttpContext.RequestAborted);
            TempData["StatusMessage"] = $"{onboarding.Organization.Name} was onboarded; {Email} was invited to development.";
            return Redirect($"/admin/organizations/{onboarding.Organization.Slug}");
        }
        catch (HeronRuleException ex)
        {
            ModelState.AddModelError("", ex.Message);
            return Page();
        }
    }
}
