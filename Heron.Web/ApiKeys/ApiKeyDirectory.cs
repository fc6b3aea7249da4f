using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Heron.Web.Data;
using Heron.Web.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Heron.Web.ApiKeys;

public enum ApiKeyState
{
    Active = 1,
    Deactivated = 2,
    Deleted = 3,
}

/// <summary>What an instance remembers of a key it has verified. Never the token.</summary>
public sealed class VerifiedApiKey
{
    public required int KeyId { get; init; }
    public required string HeronId { get; init; }
    public required string TokenPrefix { get; init; }
    public required byte[] TokenHash { get; init; }
    public required int RealmId { get; init; }
    public required RealmKind RealmKind { get; init; }
    public required int OrganizationId { get; init; }
    public required string OrganizationSlug { get; init; }
    public required ApiScopeSet Scopes { get; init; }
    public required IpAllowlist Allowlist { get; init; }

    // UTC ticks from which the key is refused; long.MaxValue: never. Only ever moves earlier (a roll).
    private long _expiresAtTicks = long.MaxValue;
    public long ExpiresAtTicks { get => Volatile.Read(ref _expiresAtTicks); init => _expiresAtTicks = value; }

    /// <summary>Brings the expiry forward (never back): a roll's grace period ending.</summary>
    internal void ExpireNoLaterThan(long ticks)
    {
        var seen = Volatile.Read(ref _expiresAtTicks);
        while (ticks < seen)
        {
            var previous = Interlocked.CompareExchange(ref _expiresAtTicks, ticks, seen);
            if (previous == seen)
            {
                return;
            }
            seen = previous;
        }
    }

    private volatile int _state;
    public ApiKeyState State { get => (ApiKeyState)_state; internal set => _state = (int)value; }

    /// <summary>The id of the lifecycle event the state comes from; a state only ever moves to a newer event.</summary>
    internal long Version { get; set; }

    private ApiCaller? _caller;

    /// <summary>
    /// Who a request with this key is: built once per key rather than per request. Nothing in the
    /// pipeline changes a principal after authentication (no claims transformation is registered).
    /// </summary>
    public ApiCaller Caller => _caller ??= new ApiCaller(this);
}

/// <summary>
/// Resolves token hashes to keys with one dictionary lookup once a key has been seen, so verification
/// costs the same for ten keys or ten thousand. Correctness does not rest on expiry: every lifecycle
/// change is an <see cref="ApiKeyEvent"/>, applied here at once by the instance that made it and within
/// <see cref="ApiKeyOptions.ChangePollInterval"/> by every other instance (<see cref="ApiKeyChangeFeed"/>).
/// </summary>
public sealed class ApiKeyDirectory(IServiceScopeFactory scopes, IOptions<ApiKeyOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<HashKey, VerifiedApiKey> _byHash = new();
    private readonly ConcurrentDictionary<int, VerifiedApiKey> _byId = new();
    private readonly ConcurrentDictionary<HashKey, byte> _unknown = new();
    // Changes to keys not (yet) cached, kept briefly so a load racing with the change cannot admit a stale state.
    private readonly Dictionary<int, (ApiKeyState State, long Version, long At)> _recentChanges = new();
    private readonly Dictionary<int, (long Ticks, long At)> _recentExpiries = new();
    private readonly Lock _gate = new();

    /// <summary>Answers from memory when it can: true with the key, or true with null for a token known to be unknown.</summary>
    public bool TryFindKnown(ReadOnlySpan<byte> tokenHash, out VerifiedApiKey? key)
    {
        var hashKey = HashKey.From(tokenHash);
        if (_byHash.TryGetValue(hashKey, out var known))
        {
            key = CryptographicOperations.FixedTimeEquals(known.TokenHash, tokenHash) ? known : null;
            return true;
        }
        key = null;
        return _unknown.ContainsKey(hashKey);
    }

    public async ValueTask<VerifiedApiKey?> FindAsync(byte[] tokenHash, CancellationToken cancellationToken)
    {
        if (TryFindKnown(tokenHash, out var known))
        {
            return known;
        }

        var key = HashKey.From(tokenHash);
        var loaded = await LoadAsync(tokenHash, cancellationToken);
        if (loaded is null)
        {
            // A new key's token cannot have been presented before it existed, so this never hides a real key.
            RememberUnknown(key);
            return null;
        }
        return Admit(key, loaded);
    }

    /// <summary>When full, an eighth of the remembered unknown tokens make room: a flood cannot empty the cache at will.</summary>
    private void RememberUnknown(HashKey key)
    {
        var capacity = options.Value.UnknownTokenCacheSize;
        if (_unknown.Count >= capacity)
        {
            foreach (var old in _unknown.Keys.Take(Math.Max(1, capacity / 8)))
            {
                _unknown.TryRemove(old, out _);
            }
        }
        _unknown.TryAdd(key, 0);
    }

    /// <summary>
    /// Records a lifecycle change; requests after this returns see the new state. A state moves only to a
    /// newer event, and never out of Deleted: deletion is final whatever arrives after it.
    /// </summary>
    public void Apply(int keyId, ApiKeyState state, long version)
    {
        lock (_gate)
        {
            if (_byId.TryGetValue(keyId, out var cached))
            {
                if (version > cached.Version && cached.State != ApiKeyState.Deleted)
                {
                    cached.Version = version;
                    cached.State = state;
                }
                return;
            }
            if (!_recentChanges.TryGetValue(keyId, out var recent) || version > recent.Version && recent.State != ApiKeyState.Deleted)
            {
                _recentChanges[keyId] = (state, version, clock.GetTimestamp());
            }
        }
    }

    /// <summary>Brings a key's expiry forward (a roll); like <see cref="Apply"/>, held briefly for a key not cached yet.</summary>
    public void ApplyExpiry(int keyId, DateTime expiresAt)
    {
        lock (_gate)
        {
            if (_byId.TryGetValue(keyId, out var cached))
            {
                cached.ExpireNoLaterThan(expiresAt.Ticks);
            }
            else if (!_recentExpiries.TryGetValue(keyId, out var recent) || expiresAt.Ticks < recent.Ticks)
            {
                _recentExpiries[keyId] = (expiresAt.Ticks, clock.GetTimestamp());
            }
        }
    }

    internal void ForgetChangesOlderThan(TimeSpan age)
    {
        lock (_gate)
        {
            foreach (var (keyId, change) in _recentExpiries)
            {
                if (clock.GetElapsedTime(change.At) > age)
                {
                    _recentExpiries.Remove(keyId);
                }
            }
            foreach (var (keyId, change) in _recentChanges)
            {
                if (clock.GetElapsedTime(change.At) > age)
                {
                    _recentChanges.Remove(keyId);
                }
            }
        }
    }

    private VerifiedApiKey Admit(HashKey key, VerifiedApiKey loaded)
    {
        lock (_gate)
        {
            if (_byId.TryGetValue(loaded.KeyId, out var existing))
            {
                return existing;
            }
            if (_recentChanges.Remove(loaded.KeyId, out var recent) && recent.Version > loaded.Version && loaded.State != ApiKeyState.Deleted)
            {
                loaded.Version = recent.Version;
                loaded.State = recent.State;
            }
            if (_recentExpiries.Remove(loaded.KeyId, out var expiry))
            {
                loaded.ExpireNoLaterThan(expiry.Ticks);
            }
            _byId[loaded.KeyId] = loaded;
            _byHash[key] = loaded;
            return loaded;
        }
    }

    private async Task<VerifiedApiKey?> LoadAsync(byte[] tokenHash, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeronDbContext>();
        var row = await db.ApiKeys.AsNoTracking()
            .Where(k => k.TokenHash == tokenHash)
            .Select(k => new
            {
                k.Id, k.HeronId, k.TokenPrefix, k.TokenHash, k.RealmId, k.Realm.Kind, k.Realm.OrganizationId,
                k.Realm.Organization.Slug, k.IsActive, k.DeletedAt, k.ExpiresAt, k.Scopes, k.AllowedIps,
                Version = db.ApiKeyEvents.Where(e => e.ApiKeyId == k.Id).Max(e => (long?)e.Id) ?? 0,
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }
        return new VerifiedApiKey
        {
            KeyId = row.Id,
            HeronId = row.HeronId,
            TokenPrefix = row.TokenPrefix,
            TokenHash = row.TokenHash,
            RealmId = row.RealmId,
            RealmKind = row.Kind,
            OrganizationId = row.OrganizationId,
            OrganizationSlug = row.Slug,
            Scopes = ApiScopes.FromStored(row.Scopes),
            Allowlist = IpAllowlist.FromStored(row.AllowedIps),
            ExpiresAtTicks = row.ExpiresAt?.Ticks ?? long.MaxValue,
            State = row.DeletedAt is not null ? ApiKeyState.Deleted : row.IsActive ? ApiKeyState.Active : ApiKeyState.Deactivated,
            Version = row.Version,
        };
    }

    /// <summary>A SHA-256 hash as two 128-bit halves: an allocation-free dictionary key.</summary>
    private readonly record struct HashKey(UInt128 High, UInt128 Low)
    {
        public static HashKey From(ReadOnlySpan<byte> hash)
        {
            var halves = MemoryMarshal.Cast<byte, UInt128>(hash);
            return new HashKey(halves[0], halves[1]);
        }
    }
}
