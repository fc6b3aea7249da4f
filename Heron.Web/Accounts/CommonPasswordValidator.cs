using Microsoft.AspNetCore.Identity;

namespace Heron.Web.Accounts;

/// <summary>Rejects passwords found at the top of breached-password lists, and ones made of the email or "heron".</summary>
public sealed class CommonPasswordValidator : IPasswordValidator<HeronUser>
{
    private static readonly HashSet<string> Common = new(StringComparer.OrdinalIgnoreCase)
    {
        "123456789012", "1234567890123", "12345678901234", "123456123456", "password1234", "password12345",
        "passwordpassword", "qwertyuiop12", "qwertyuiop123", "qwerty123456", "1q2w3e4r5t6y", "1qaz2wsx3edc",
        "iloveyou1234", "letmein12345", "welcome12345", "admin1234567", "administrator", "abc123456789",
        "abcdefghijkl", "aaaaaaaaaaaa", "111111111111", "000000000000", "changeme1234", "trustno11234",
        "football1234", "baseball1234", "sunshine1234", "princess1234", "dragon123456", "monkey123456",
        "superman1234", "starwars1234", "whatever1234", "qazwsxedcrfv", "zaq12wsxcde3", "correcthorsebatterystaple",
        "password123!", "Password1234", "Password123!", "p@ssw0rd1234", "passw0rd1234", "secret123456",
    };

    public Task<IdentityResult> ValidateAsync(UserManager<HeronUser> manager, HeronUser user, string? password)
    {
        var candidate = password?.Trim() ?? "";
        var local = user.Email?.Split('@')[0];
        var weak = Common.Contains(candidate)
            || candidate.Distinct().Count() <= 2
            || candidate.Contains("heron", StringComparison.OrdinalIgnoreCase) && candidate.Length < 16
            || local is { Length: >= 4 } && candidate.Contains(local, StringComparison.OrdinalIgnoreCase);
        return Task.FromResult(weak
            ? IdentityResult.Failed(new IdentityError
            {
                Code = "CommonPassword",
                Description = "This password is too common or too easy to guess. Choose a longer, less predictable one.",
            })
            : IdentityResult.Success);
    }
}
