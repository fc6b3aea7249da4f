using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Heron.Web.Accounts;

/// <summary>
/// Invitation links: single use (setting the password changes the security stamp the token is bound to)
/// and valid for a week, while password-reset links last an hour.
/// </summary>
public sealed class InvitationTokenProvider(
    IDataProtectionProvider dataProtectionProvider,
    IOptions<InvitationTokenProviderOptions> options,
    ILogger<DataProtectorTokenProvider<HeronUser>> logger)
    : DataProtectorTokenProvider<HeronUser>(dataProtectionProvider, options, logger)
{
    public const string ProviderName = "Invitation";
    private const string Purpose = "accept-invitation";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    public static Task<string> GenerateAsync(UserManager<HeronUser> users, HeronUser user) =>
        users.GenerateUserTokenAsync(user, ProviderName, Purpose);

    public static Task<bool> VerifyAsync(UserManager<HeronUser> users, HeronUser user, string token) =>
        users.VerifyUserTokenAsync(user, ProviderName, Purpose, token);
}

public sealed class InvitationTokenProviderOptions : DataProtectionTokenProviderOptions
{
    public InvitationTokenProviderOptions()
    {
        Name = InvitationTokenProvider.ProviderName;
        TokenLifespan = InvitationTokenProvider.Lifetime;
    }
}
