using Heron.Web.Audit;
using Heron.Web.Common;
using Heron.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.ApiKeys;

/// <summary>A key just created, with the one copy of its token that will ever exist.</summary>
public sealed record IssuedApiKey(ApiKey Key, string Token);

/// <summary>
/// The lifecycle of a realm's API keys: create, list, deactivate, reactivate, delete. Every method is
/// scoped to one realm; a key of another realm is reported as not found. Every change is written to the
/// audit trail in the same transaction and applied to the <see cref="ApiKeyDirectory"/> before returning.
/// </summary>
public sealed partial class ApiKeyService(HeronDbContext db, ApiKeyDirectory directory, LastUsedRecorder lastUsed, AuditTrail audit, TimeProvider clock)
{
    /// <param name="name">Checked with <see cref="ApiKeyName.Validate"/>; an invalid name throws <see cref="ArgumentException"/>.</param>
    public Task<IssuedApiKey> CreateAsync(int realmId, string name, Actor actor, CancellationToken cancellationToken) =>
        CreateAsync(realmId, name, KeyControls.None, actor, cancellationToken);

    /// <param name="controls">Already checked by the caller (see <c>KeyControlsBody</c>): expiry in the future, scopes non-empty.</param>
    /// <exception cref="HeronRuleException">The expiry breaks the realm's maximum key lifetime (<see cref="LifetimeProblem"/>).</exception>
    public async Task<IssuedApiKey> CreateAsync(int realmId, string name, KeyControls controls, Actor actor, CancellationToken cancellationToken)
    {
        if (LifetimeProblem(controls.ExpiresAt, await MaxLifetimeAsync(realmId, cancellationToken), Now()) is { } problem)
        {
            throw new HeronRuleException(problem);
        }
        var key = NewKey(realmId, name, controls, actor, out var token);
        db.ApiKeys.Add(key);
        var recorded = Record(key, ApiKeyEventKind.Created, actor);
        await db.SaveChangesAsync(cancellationToken);
        directory.Apply(key.TokenHash, key.Id, ApiKeyState.Active, recorded.Id);
        return new IssuedApiKey(key, token);
    }

    private ApiKey NewKey(int realmId, string name, KeyControls controls, Actor actor, out string token)
    {
        if (ApiKeyName.Validate(name, out var validName) is { } problem)
        {
            throw new ArgumentException(problem, nameof(name));
        }
        if (controls.Scopes == ApiScopeSet.None)
        {
            throw new ArgumentException("A key needs at least one scope.", nameof(controls));
        }
        token = ApiKeyToken.Generate();
        return new ApiKey
        {
            HeronId = HeronId.New(HeronId.ApiKeyPrefix),
            RealmId = realmId,
            Name = validName,
            TokenPrefix = ApiKeyToken.PrefixOf(token),
            TokenHash = ApiKeyToken.Hash(token),
            IsActive = true,
            CreatedAt = Now(),
            CreatedBy = actor.Name,
            ExpiresAt = controls.ExpiresAt is { } at ? KeyControls.ToTheSecond(at) : null,
            Scopes = ApiScopes.Stored(controls.Scopes),
            AllowedIps = controls.Allowlist.Stored,
        };
    }

    /// <summary>The realm's keys, newest first, deleted ones left out.</summary>
    public async Task<List<ApiKey>> ListAsync(int realmId, CancellationToken cancellationToken) =>
        WithBufferedUsage(await Listed(realmId).ToListAsync(cancellationToken));

    /// <summary>Every key of these realms, deleted ones included, newest first: what operators see of an organization.</summary>
    public async Task<List<ApiKey>> ListForRealmsAsync(IReadOnlyCollection<int> realmIds, CancellationToken cancellationToken) =>
        WithBufferedUsage(await db.ApiKeys.AsNoTracking().Where(k => realmIds.Contains(k.RealmId))
            .OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id).ToListAsync(cancellationToken));

    /// <summary>One page of the realm's keys (1-based), newest first, and how many there are.</summary>
    public async Task<(List<ApiKey> Keys, int Total)> PageAsync(int realmId, int page, int pageSize, CancellationToken cancellationToken)
    {
        var total = await Listed(realmId).CountAsync(cancellationToken);
        var keys = await Listed(realmId).Skip((Math.Max(page, 1) - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return (WithBufferedUsage(keys), total);
    }

    private IQueryable<ApiKey> Listed(int realmId) =>
        db.ApiKeys.AsNoTracking()
            .Where(k => k.RealmId == realmId && k.DeletedAt == null)
            .OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id);

    /// <summary>Adds uses and refusals not yet flushed, so a list is current to the request.</summary>
    private List<ApiKey> WithBufferedUsage(List<ApiKey> keys)
    {
        foreach (var key in keys)
        {
            if (lastUsed.Pending(key.Id) is { } pending && (key.LastUsedAt is null || pending > key.LastUsedAt))
            {
                key.LastUsedAt = pending;
            }
            if (!key.IsActive && lastUsed.PendingRejections(key.Id) is { } rejected)
            {
                key.RejectedSinceDeactivation += rejected.Count;
                key.LastRejectedAt = rejected.Last;
            }
        }
        return keys;
    }

    /// <summary>Deactivates or reactivates a key. Null when the realm has no such key.</summary>
    /// <remarks>
    /// Each change is one conditional update (not deleted, and in the other state), so racing requests
    /// cannot undo a deletion or write an event for a change that did not happen.
    /// </remarks>
    public async Task<ApiKey?> SetActiveAsync(int realmId, string heronId, bool active, Actor actor, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = Now();
        var changed = await Live(realmId, heronId)
            .Where(k => k.IsActive != active)
            .ExecuteUpdateAsync(set => set
                .SetProperty(k => k.IsActive, active)
                .SetProperty(k => k.DeactivatedAt, k => active ? k.DeactivatedAt : now)
                .SetProperty(k => k.RejectedSinceDeactivation, k => active ? k.RejectedSinceDeactivation : 0)
                .SetProperty(k => k.LastRejectedAt, k => active ? k.LastRejectedAt : null), cancellationToken);
        var key = await Live(realmId, heronId).AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (changed == 0 || key is null)
        {
            return key;
        }
        var recorded = Record(key, active ? ApiKeyEventKind.Reactivated : ApiKeyEventKind.Deactivated, actor);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        directory.Apply(key.TokenHash, key.Id, active ? ApiKeyState.Active : ApiKeyState.Deactivated, recorded.Id);
        return key;
    }

    /// <summary>Deletes a key for good. False when the realm has no such key.</summary>
    public async Task<bool> DeleteAsync(int realmId, string heronId, Actor actor, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var key = await Live(realmId, heronId).AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        var now = Now();
        var deleted = key is null ? 0 : await Live(realmId, heronId)
            .ExecuteUpdateAsync(set => set.SetProperty(k => k.DeletedAt, now).SetProperty(k => k.IsActive, false), cancellationToken);
        if (deleted == 0)
        {
            return false;
        }
        var recorded = Record(key!, ApiKeyEventKind.Deleted, actor);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        directory.Apply(key!.TokenHash, key.Id, ApiKeyState.Deleted, recorded.Id);
        return true;
    }

    /// <summary>The realm's key with this id, unless it was deleted.</summary>
    private IQueryable<ApiKey> Live(int realmId, string heronId) =>
        db.ApiKeys.Where(k => k.HeronId == heronId && k.RealmId == realmId && k.DeletedAt == null);

    private ApiKeyEvent Record(ApiKey key, ApiKeyEventKind kind, Actor actor)
    {
        var entry = new ApiKeyEvent
        {
            // A new key is saved with its event; an existing one is only referenced.
            ApiKey = key.Id == 0 ? key : null!,
            ApiKeyId = key.Id,
            RealmId = key.RealmId,
            Kind = kind,
            ActorKind = actor.Kind,
            ActorName = actor.Name,
            ClientIp = actor.ClientIp,
            OccurredAt = Now(),
        };
        db.ApiKeyEvents.Add(entry);
        return entry;
    }

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;
}
