using Heron.Web.Audit;
using Heron.Web.Common;
using Heron.Web.Organizations;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.ApiKeys;

public sealed partial class ApiKeyService
{
    /// <summary>The most days an operator may allow (ten years); fewer than one would leave no key to make.</summary>
    public const int MaxLifetimeLimitDays = 3650;

    /// <summary>How long a new key of this realm may live at most: set by an operator on a production realm; null for no limit.</summary>
    public async Task<TimeSpan?> MaxLifetimeAsync(int realmId, CancellationToken cancellationToken) =>
        await db.Realms.Where(r => r.Id == realmId).Select(r => r.MaxKeyLifetimeDays).SingleOrDefaultAsync(cancellationToken) is int days
            ? TimeSpan.FromDays(days)
            : null;

    /// <summary>Why a key expiring at <paramref name="expiresAt"/> breaks the realm's limit, or null when it does not.</summary>
    public static string? LifetimeProblem(DateTime? expiresAt, TimeSpan? maxLifetime, DateTime now)
    {
        if (maxLifetime is not { } max)
        {
            return null;
        }
        var latest = KeyControls.ToTheSecond(now + max);
        var within = $"This organization's production keys must expire within {max.TotalDays:0} day{(max.TotalDays == 1 ? "" : "s")}";
        return expiresAt is null ? $"{within}: choose an expiry."
            : expiresAt > latest ? $"{within}, by {latest:yyyy-MM-dd HH:mm} UTC."
            : null;
    }

    /// <summary>Operators: the most days a new key of the organization's production realm may live (null: no limit). Audited in that realm.</summary>
    public async Task<Realm> SetMaxLifetimeAsync(string organizationSlug, int? days, Actor actor, CancellationToken cancellationToken)
    {
        if (days is < 1 or > MaxLifetimeLimitDays)
        {
            throw new HeronRuleException($"A maximum lifetime is a whole number of days from 1 to {MaxLifetimeLimitDays}; leave it empty for no limit.");
        }
        var realm = await db.Realms.Include(r => r.Organization)
            .SingleOrDefaultAsync(r => r.Organization.Slug == organizationSlug && r.Kind == RealmKind.Production, cancellationToken)
            ?? throw new HeronRuleException("This organization has no production realm yet.");
        if (realm.MaxKeyLifetimeDays != days)
        {
            realm.MaxKeyLifetimeDays = days;
            audit.Add(realm.Id, AuditEventKind.KeyLifetimeLimitSet, actor,
                days is { } d ? $"New keys must expire within {d} day{(d == 1 ? "" : "s")}." : "No limit.");
            await db.SaveChangesAsync(cancellationToken);
        }
        return realm;
    }
}
