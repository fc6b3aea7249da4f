using Heron.Web.Common;
using Heron.Web.Data;
using Heron.Web.Organizations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.Accounts;

/// <summary>A realm's dashboard accounts: creating one, and listing them.</summary>
public sealed class AccountService(HeronDbContext db, UserManager<HeronUser> users, TimeProvider clock)
{
    /// <summary>Creates a dashboard account in a realm; without a password it waits for an invitation to be accepted.</summary>
    public async Task<HeronUser> CreateAccountAsync(Realm realm, string email, string? password)
    {
        var user = new HeronUser
        {
            UserName = HeronUser.UserNameFor(realm, email),
            Email = email,
            RealmId = realm.Id,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        var result = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            var duplicate = result.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateUserName));
            throw new HeronRuleException(duplicate
                ? $"{email} already has an account in {realm.Username}."
                : string.Join(" ", result.Errors.Select(e => e.Description)));
        }
        return user;
    }

    /// <summary>The accounts of a realm, oldest first.</summary>
    public Task<List<HeronUser>> MembersAsync(int realmId, CancellationToken cancellationToken) =>
        db.Users.AsNoTracking().Where(u => u.RealmId == realmId).OrderBy(u => u.CreatedAt).ToListAsync(cancellationToken);

    /// <summary>The accounts of several realms (an organization's, for operators), oldest first.</summary>
    public Task<List<HeronUser>> MembersAsync(IReadOnlyCollection<int> realmIds, CancellationToken cancellationToken) =>
        db.Users.AsNoTracking().Where(u => realmIds.Contains(u.RealmId)).OrderBy(u => u.CreatedAt).ToListAsync(cancellationToken);

    /// <summary>The <c>dev</c>/<c>prod</c> of the account's realm, for the sign-in page it is sent to.</summary>
    public async Task<string> EnvironmentOfAsync(HeronUser user) =>
        (await db.Realms.Where(r => r.Id == user.RealmId).Select(r => r.Kind).SingleAsync()).Environment();
}
