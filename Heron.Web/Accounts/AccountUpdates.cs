using Heron.Web.Data;
using Microsoft.AspNetCore.Identity;

namespace Heron.Web.Accounts;

/// <summary>
/// An account changed by another request or instance since it was read: Identity's update then fails with
/// <c>ConcurrencyFailure</c>. Reload the account and apply the change again to what it is now.
/// </summary>
public static class AccountUpdates
{
    /// <summary>Gives up quietly after a few conflicts: a lost count is better than a 500.</summary>
    public static async Task RetryOnConflictAsync(HeronDbContext db, HeronUser user, Func<Task<IdentityResult>> change, ILogger logger)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await change();
            if (result.Succeeded || !result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure)))
            {
                return;
            }
            await db.Entry(user).ReloadAsync();
            if (attempt == 5)
            {
                logger.LogWarning("Gave up updating account {UserId} after {Attempts} conflicting updates", user.Id, attempt);
                return;
            }
        }
    }
}
