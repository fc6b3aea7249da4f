using System.Security.Cryptography;
using System.Text;
using Heron.Web.Accounts;
using Heron.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace Heron.Web.TwoFactor;

/// <summary>
/// Identity's EF user store, except that recovery codes are kept as SHA-256 hashes: Identity stores
/// them as they are, so a database backup would hold working second factors. Within the store
/// contract: <see cref="UserManager{TUser}"/> hands plain codes to <see cref="ReplaceCodesAsync"/>
/// and <see cref="RedeemCodeAsync"/>, and counts what is stored.
/// </summary>
public sealed class HashedRecoveryCodeStore(HeronDbContext context, IdentityErrorDescriber? describer = null)
    : UserOnlyStore<HeronUser, HeronDbContext>(context, describer)
{
    // The names Identity's own store uses, so CountCodesAsync (inherited) reads the same token.
    private const string InternalLoginProvider = "[AspNetUserStore]";
    private const string RecoveryCodeTokenName = "RecoveryCodes";

    public override Task ReplaceCodesAsync(HeronUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken) =>
        SetTokenAsync(user, InternalLoginProvider, RecoveryCodeTokenName,
            string.Join(";", recoveryCodes.Select(c => Convert.ToHexString(Hash(c)))), cancellationToken);

    public override async Task<bool> RedeemCodeAsync(HeronUser user, string code, CancellationToken cancellationToken)
    {
        var stored = await GetTokenAsync(user, InternalLoginProvider, RecoveryCodeTokenName, cancellationToken) ?? "";
        var hashes = stored.Split(';', StringSplitOptions.RemoveEmptyEntries).ToList();
        var offered = Hash(code);
        var match = -1;
        for (var i = 0; i < hashes.Count; i++)
        {
            // Every stored hash is compared, so the time taken says nothing about which one matched.
            if (CryptographicOperations.FixedTimeEquals(Convert.FromHexString(hashes[i]), offered) && match < 0)
            {
                match = i;
            }
        }
        if (match < 0)
        {
            return false;
        }
        hashes.RemoveAt(match);
        await SetTokenAsync(user, InternalLoginProvider, RecoveryCodeTokenName, string.Join(";", hashes), cancellationToken);
        return true;
    }

    /// <summary>People type codes in any case, with or without the dash and spaces.</summary>
    private static byte[] Hash(string code) =>
        SHA256.HashData(Encoding.UTF8.GetBytes(new string(code.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant()));
}
