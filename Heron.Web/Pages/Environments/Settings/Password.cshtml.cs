using System.ComponentModel.DataAnnotations;
using Heron.Web.Accounts;
using Heron.Web.Pages.Account;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Heron.Web.Pages.Environments.Settings;

public sealed class PasswordModel(PasswordService passwords) : PageModel
{
    [BindProperty, Required, DataType(DataType.Password)]
    public string CurrentPassword { get; set; } = "";

    [BindProperty]
    public NewPasswordInput Input { get; set; } = new();

    [TempData]
    public string? StatusMessage { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await passwords.ChangeAsync(HttpContext, HttpContext.RealmSession(), CurrentPassword, Input.Password);
        if (!result.Succeeded)
        {
            ModelState.AddErrors(result);
            return Page();
        }
        StatusMessage = "Your password was changed. Other sessions of this account were signed out.";
        return RedirectToPage();
    }
}
