using Heron.Web.Audit;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.ApiKeys;

/// <summary>What a roll made: the new key (with its one token) and when the old one stops working.</summary>
public sealed record RolledApiKey(IssuedApiKey Replacement, ApiKey Old, DateTime OldExpiresAt);

public sealed partial class ApiKeyService
{
    /// <summary>The realm's key with this id, unless it was deleted.</summary>
    public Task<ApiKey?> FindAsync(int realmId, string heronId, CancellationToken cancellationToken) =>
        Live(realmId, heronId).AsNoTracking().SingleOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Replaces a key with a new one of the same name, scopes and allowlist (and, when the old key expires,
    /// the same lifetime from now, no longer than the realm's maximum key lifetime). The old key keeps working for <paramref name="gracePeriod"/>, then is
    /// refused as expired; it keeps its state otherwise. Null when the realm has no such key.
    /// </summary>
    public async Task<RolledApiKey?> RollAsync(int realmId, string heronId, TimeSpan gracePeriod, Actor actor, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var old = await Live(realmId, heronId).AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (old is null)
        {
            return null;
        }
        var now = Now();
        var endsAt = KeyControls.ToTheSecond(now + gracePeriod);
        if (old.ExpiresAt is { } already && already < endsAt)
        {
            endsAt = already;
        }
        // Only ever earlier: a roll racing another cannot give the old key more time.
        await Live(realmId, heronId)
            .Where(k => k.ExpiresAt == null || k.ExpiresAt > endsAt)
            .ExecuteUpdateAsync(set => set.SetProperty(k => k.ExpiresAt, endsAt), cancellationToken);

        DateTime? expiresAt = old.ExpiresAt is { } expiry ? now + (expiry - old.CreatedAt) : null;
        if (await MaxLifetimeAsync(realmId, cancellationToken) is { } max && (expiresAt is null || expiresAt > now + max))
        {
            // The realm's limit may be newer than the key: the replacement lives as long as the limit allows.
            expiresAt = now + max;
        }
        var controls = KeyControls.Of(old) with { ExpiresAt = expiresAt };
        var replacement = NewKey(realmId, old.Name, controls, actor, out var token);
        db.ApiKeys.Add(replacement);
        // One event: the old key's, which every instance reads to bring its expiry forward. The new key needs
        // none, since no instance can have seen its token yet.
        Record(old, ApiKeyEventKind.Rolled, actor);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        directory.ApplyExpiry(old.TokenHash, endsAt);
        old.ExpiresAt = endsAt;
        return new RolledApiKey(new IssuedApiKey(replacement, token), old, endsAt);
    }
}
