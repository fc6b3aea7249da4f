using System.ComponentModel.DataAnnotations;
using Heron.Web.Accounts;
using Heron.Web.TwoFactor;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Heron.Web.Pages.Shared;

/// <summary>
/// Settings → Security → Two-factor, the same for dashboard accounts and operators: set up an
/// authenticator app, turn it off (password and a code), make new recovery codes (a code).
/// </summary>
public abstract class TwoFactorSettingsModel(TwoFactorService twoFactor) : PageModel
{
    [BindProperty, StringLength(16), Display(Name = "Authentication code")]
    public string? Code { get; set; }

    [BindProperty, DataType(DataType.Password), StringLength(1024), Display(Name = "Password")]
    public string? Password { get; set; }

    [TempData]
    public string? StatusMessage { get; set; }

    public TwoFactorStatus Status { get; private set; } = null!;
    public IReadOnlyList<string>? RecoveryCodes { get; private set; }
    public bool OperatorAccount => HttpContext.RealmSession().RealmKind == Organizations.RealmKind.Internal;

    public async Task OnGetAsync() => await LoadAsync(await twoFactor.AccountAsync(HttpContext.RealmSession()));

    public async Task<IActionResult> OnPostSetUpAsync()
    {
        var user = await twoFactor.AccountAsync(HttpContext.RealmSession());
        if (!user.TwoFactorEnabled)
        {
            await twoFactor.BeginSetupAsync(HttpContext, user, signedIn: true);
        }
        return RedirectToPage();
    }

    public Task<IActionResult> OnPostEnableAsync() =>
        ChangeAsync(user => twoFactor.EnableAsync(HttpContext, user, Code ?? "", signedIn: true),
            "Two-factor sign-in is on. Other sessions of this account were signed out.");

    public Task<IActionResult> OnPostDisableAsync() =>
        ChangeAsync(user => twoFactor.DisableAsync(HttpContext, user, Password ?? "", Code ?? ""),
            "Two-factor sign-in is off. Other sessions of this account were signed out.");

    public Task<IActionResult> OnPostRegenerateAsync() =>
        ChangeAsync(user => twoFactor.RegenerateRecoveryCodesAsync(HttpContext, user, Code ?? ""),
            "New recovery codes were made; the previous ones no longer work.");

    private async Task<IActionResult> ChangeAsync(Func<HeronUser, Task<TwoFactorResult>> change, string done)
    {
        var user = await twoFactor.AccountAsync(HttpContext.RealmSession());
        var result = ModelState.IsValid ? await change(user) : TwoFactorResult.Failed("Check the fields below.");
        if (!result.Succeeded)
        {
            ModelState.AddModelError(nameof(Code), result.Error!);
            Code = null;
            Password = null;
            await LoadAsync(user);
            return Page();
        }
        if (result.RecoveryCodes is null)
        {
            StatusMessage = done;
            return RedirectToPage();
        }
        // Recovery codes are shown in this response only, never kept in TempData or a cookie.
        StatusMessage = done;
        RecoveryCodes = result.RecoveryCodes;
        await LoadAsync(user);
        return Page();
    }

    private async Task LoadAsync(HeronUser user)
    {
        // The page may show a setup key or recovery codes.
        Response.Headers.CacheControl = "no-store";
        Status = await twoFactor.StatusAsync(user, HttpContext.RequestAborted);
    }
}
