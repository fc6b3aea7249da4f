using System.ComponentModel.DataAnnotations;

namespace Heron.Web.Pages.Account;

/// <summary>A new password typed twice: reset, invitation and change-password pages share it.</summary>
public sealed class NewPasswordInput
{
    [Required, DataType(DataType.Password), StringLength(1024, MinimumLength = 12, ErrorMessage = "The password must be at least 12 characters long.")]
    public string Password { get; set; } = "";

    [Required, DataType(DataType.Password), Compare(nameof(Password), ErrorMessage = "The two passwords do not match.")]
    public string ConfirmPassword { get; set; } = "";
}
