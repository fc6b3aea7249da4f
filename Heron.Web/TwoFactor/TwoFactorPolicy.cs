using Heron.Web.Accounts;
using Heron.Web.Audit;
using Heron.Web.Common;
using Heron.Web.Data;
using Heron.Web.Organizations;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.TwoFactor;

/// <summary>Who must sign in with a second factor: every operator, and the accounts of a production realm an operator requires it for.</summary>
public sealed class TwoFactorPolicy(HeronDbContext db, AuditTrail audit)
{
    public static bool IsRequiredIn(Realm realm) => realm.Kind == RealmKind.Internal || realm.RequiresTwoFactor;

    public async Task<bool> IsRequiredForAsync(HeronUser user, CancellationToken cancellationToken) =>
        await db.Realms.Where(r => r.Id == user.RealmId)
            .Select(r => r.Kind == RealmKind.Internal || r.RequiresTwoFactor).SingleAsync(cancellationToken);

    /// <summary>Whether a sign-in whose password was right needs a second step: the account has two-factor, or must enrol.</summary>
    public async Task<bool> RequiresSecondStepAsync(HeronUser user, CancellationToken cancellationToken) =>
        user.TwoFactorEnabled || await IsRequiredForAsync(user, cancellationToken);

    /// <summary>An operator requires (or stops requiring) two-factor sign-in for an organization's production realm; its accounts without it enrol at their next sign-in.</summary>
    public async Task<Realm> SetRequiredForProductionAsync(string slug, bool required, Actor actor, CancellationToken cancellationToken)
    {
        var realm = await db.Realms.Include(r => r.Organization)
            .SingleOrDefaultAsync(r => r.Organization.Slug == slug && r.Kind == RealmKind.Production, cancellationToken)
            ?? throw new HeronRuleException("This organization has no production realm yet.");
        if (realm.RequiresTwoFactor != required)
        {
            realm.RequiresTwoFactor = required;
            audit.Add(realm.Id, required ? AuditEventKind.TwoFactorRequired : AuditEventKind.TwoFactorNoLongerRequired, actor);
            await db.SaveChangesAsync(cancellationToken);
        }
        return realm;
    }
}
