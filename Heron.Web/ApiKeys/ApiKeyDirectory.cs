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

/// <summary>What the directory can say about a token from memory.</summary>
public enum DirectoryAnswer
{
    /// <summary>A key this instance has materialized: answered at once.</summary>
    Found,
    /// <summary>Not a live key of any realm: refused at once.</summary>
    Unknown,
    /// <summary>A key this instance must read once (a known key's first use here, or a token the change feed may not have brought yet).</summary>
    Load,
}

/// <summary>
/// Every live key's hash, loaded at start-up (<see cref="LoadAllAsync"/>) into a compact <see cref="KeyHashIndex"/>
/// and kept current by the change feed, so a token that is no live key is refused from memory: a flood of
/// invented keys costs no query. A live key is read from the database once per instance, at its first use
/// here, for what a request needs of it (its realm, organization and heron_id); then it costs one dictionary
/// lookup. Correctness does not rest on expiry: every lifecycle change is an <see cref="ApiKeyEvent"/>,
/// applied here at once by the instance that made it and within <see cref="ApiKeyOptions.ChangePollInterval"/>
/// by every other instance (<see cref="ApiKeyChangeFeed"/>).
/// </summary>
public sealed partial class ApiKeyDirectory(IServiceScopeFactory scopes, IOptions<ApiKeyOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<HashKey, VerifiedApiKey> _byHash = new();
    private readonly ConcurrentDictionary<HashKey, byte> _unknown = new();
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile KeyHashIndex _index = KeyHashIndex.Empty();
    private readonly Lock _gate = new();

    /// <summary>Completes once every live key is in memory; readiness waits for it.</summary>
    public Task Loaded => _loaded.Task;
    public bool IsLoaded => _loaded.Task.IsCompleted;

    /// <summary>Keys in memory: every live one once loaded, plus those deleted since.</summary>
    public int Count => _index.Count;

    /// <summary>Answers from memory when it can: true with the key, or true with null for a token that is no live key.</summary>
    public bool TryFindKnown(ReadOnlySpan<byte> tokenHash, out VerifiedApiKey? key) => Find(tokenHash, out key) != DirectoryAnswer.Load;

    public DirectoryAnswer Find(ReadOnlySpan<byte> tokenHash, out VerifiedApiKey? key)
    {
        var hashKey = HashKey.From(tokenHash);
        key = null;
        if (_byHash.TryGetValue(hashKey, out var known))
        {
            if (!CryptographicOperations.FixedTimeEquals(known.TokenHash, tokenHash))
            {
                return DirectoryAnswer.Unknown;
            }
            key = known;
            return DirectoryAnswer.Found;
        }
        if (!IsLoaded || _index.TryGet(hashKey, out _, out _, out _))
        {
            return DirectoryAnswer.Load;
        }
        return _unknown.ContainsKey(hashKey) || !recheck.TryTake() ? DirectoryAnswer.Unknown : DirectoryAnswer.Load;
    }

    public async ValueTask<VerifiedApiKey?> FindAsync(byte[] tokenHash, CancellationToken cancellationToken)
    {
        await Loaded.WaitAsync(cancellationToken);
        var answer = Find(tokenHash, out var known);
        if (answer != DirectoryAnswer.Load)
        {
            return known;
        }

        var key = HashKey.From(tokenHash);
        Interlocked.Increment(ref _databaseLookups);
        var loaded = await LoadAsync(tokenHash, cancellationToken);
        if (loaded is null)
        {
            // Looked up because it might be a key created elsewhere since the last poll: it is not.
            RememberUnknown(key);
            return null;
        }
        return Admit(key, loaded);
    }

    private long _databaseLookups;

    /// <summary>How many tokens this instance has read from the database: known keys' first uses, and bounded rechecks.</summary>
    public long DatabaseLookups => Interlocked.Read(ref _databaseLookups);

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
    public void Apply(ReadOnlySpan<byte> tokenHash, int keyId, ApiKeyState state, long version)
    {
        var hashKey = HashKey.From(tokenHash);
        lock (_gate)
        {
            var (now, at) = _index.Set(hashKey, keyId, state, version);
            if (_byHash.TryGetValue(hashKey, out var cached))
            {
                cached.Version = at;
                cached.State = now;
            }
        }
        // A recheck racing with the key's creation may have remembered its token as unknown: the event lets it in.
        _unknown.TryRemove(hashKey, out _);
    }

    // Rolls applied before this instance first read the key: the read may have raced with the roll.
    private readonly Dictionary<HashKey, long> _expiries = new();

    /// <summary>Brings a key's expiry forward (a roll's grace period ending); never back.</summary>
    public void ApplyExpiry(ReadOnlySpan<byte> tokenHash, DateTime expiresAt)
    {
        var hashKey = HashKey.From(tokenHash);
        lock (_gate)
        {
            if (_byHash.TryGetValue(hashKey, out var cached))
            {
                cached.ExpireNoLaterThan(expiresAt.Ticks);
            }
            else if (!_expiries.TryGetValue(hashKey, out var earlier) || expiresAt.Ticks < earlier)
            {
                _expiries[hashKey] = expiresAt.Ticks;
            }
        }
    }

    private VerifiedApiKey Admit(HashKey key, VerifiedApiKey loaded)
    {
        lock (_gate)
        {
            if (_byHash.TryGetValue(key, out var existing))
            {
                return existing;
            }
            if (_expiries.Remove(key, out var expiry))
            {
                loaded.ExpireNoLaterThan(expiry);
            }
            // The index's state, kept by the feed, wins over a read that may have raced with a change.
            var (state, version) = _index.Set(key, loaded.KeyId, loaded.State, loaded.Version);
            loaded.State = state;
            loaded.Version = version;
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
}
