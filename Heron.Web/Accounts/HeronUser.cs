using Heron.Web.Organizations;
using Microsoft.AspNetCore.Identity;

namespace Heron.Web.Accounts;

/// <summary>
/// A dashboard login. It belongs to exactly one realm: the same email may hold a development and a
/// production account with separate passwords. <see cref="IdentityUser.UserName"/> is therefore
/// <c>{realm heron_id}/{email}</c>, unique per realm, while <see cref="IdentityUser.Email"/> is the address.
/// </summary>
public sealed class HeronUser : IdentityUser
{
    public int RealmId { get; set; }
    public Realm Realm { get; set; } = null!;
    public DateTime CreatedAt { get; set; }

    public static string UserNameFor(Realm realm, string email) => $"{realm.HeronId}/{email.Trim()}";
}
