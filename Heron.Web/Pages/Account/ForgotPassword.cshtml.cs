using System.ComponentModel.DataAnnotations;
using Heron.Web.Accounts;
using Heron.Web.Organizations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Heron.Web.Pages.Account;

public sealed class ForgotPasswordModel(PasswordService passwords) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public bool Sent { get; private set; }

    public sealed class InputModel
    {
        [Required, EmailAddress, StringLength(254)]
        public string Email { get; set; } = "";

        [Required, RegularExpression("^(dev|prod)$", ErrorMessage = "Choose Development or Production.")]
        public string Environment { get; set; } = "dev";
    }

    public void OnGet(string? environment, string? email, bool sent = false)
    {
        Input.Environment = environment is "prod" ? "prod" : "dev";
        Input.Email = email ?? "";
        Sent = sent;
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid || !RealmKindExtensions.TryParseCustomerRealm(Input.Environment, out var kind))
        {
            return Page();
        }
        if (await passwords.RequestResetAsync(HttpContext, Input.Email, kind) == ResetRequestOutcome.ClientThrottled)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            ModelState.AddModelError("", "Too many reset requests from your network. Try again in an hour.");
            return Page();
        }
        return RedirectToPage(new { sent = true, environment = Input.Environment });
    }
}
