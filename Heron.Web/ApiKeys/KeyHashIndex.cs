using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Heron.Web.ApiKeys;

/// <summary>A SHA-256 hash as two 128-bit halves: an allocation-free dictionary key with an order.</summary>
internal readonly record struct HashKey(UInt128 High, UInt128 Low) : IComparable<HashKey>
{
    public static HashKey From(ReadOnlySpan<byte> hash)
    {
        var halves = MemoryMarshal.Cast<byte, UInt128>(hash);
        return new HashKey(halves[0], halves[1]);
    }

    public int CompareTo(HashKey other)
    {
        var high = High.CompareTo(other.High);
        return high != 0 ? high : Low.CompareTo(other.Low);
    }

    /// <summary>The top 16 bits: which of the index's buckets the hash falls in.</summary>
    public int Bucket => (int)(High >> 112);
}

/// <summary>
/// Every live key's hash with its id and state: 48 bytes a key in one sorted array (plus a 256 KB bucket
/// table), so a million keys cost about 48 MB and no object each. Keys that appear after the load (created
/// on any instance, or first seen through the change feed) go to a small concurrent dictionary beside it.
/// Readers take no lock; writers are serialized by <see cref="ApiKeyDirectory"/>.
/// </summary>
internal sealed class KeyHashIndex
{
    /// <summary>State and version packed in one long, so a reader never sees one without the other.</summary>
    private struct Entry
    {
        public HashKey Hash;
        public int KeyId;
        public long StateVersion;
    }

    private sealed class Added(int keyId, long stateVersion)
    {
        public readonly int KeyId = keyId;
        public long StateVersion = stateVersion;
    }

    private const int BucketCount = 1 << 16;
    private readonly Entry[] _sorted;
    private readonly int[] _bucketStarts;
    private readonly ConcurrentDictionary<HashKey, Added> _added = new();

    private KeyHashIndex(Entry[] sorted)
    {
        _sorted = sorted;
        _bucketStarts = new int[BucketCount + 1];
        var next = 0;
        for (var bucket = 0; bucket < BucketCount; bucket++)
        {
            _bucketStarts[bucket] = next;
            while (next < sorted.Length && sorted[next].Hash.Bucket == bucket)
            {
                next++;
            }
        }
        _bucketStarts[BucketCount] = sorted.Length;
    }

    /// <summary>An index of no loaded keys: what a directory starts with, collecting the changes made before its load.</summary>
    public static KeyHashIndex Empty() => new([]);

    /// <summary>
    /// Collects a snapshot of the keys straight into the array the index keeps (no list of rows beside it, which
    /// would double the peak memory of a start-up), each at the version given: the feed's cursor before the read.
    /// </summary>
    public sealed class Builder(int capacity, long version)
    {
        private Entry[] _entries = new Entry[Math.Max(capacity, 16)];
        private int _count;

        public void Add(ReadOnlySpan<byte> tokenHash, int keyId, ApiKeyState state)
        {
            if (_count == _entries.Length)
            {
                Array.Resize(ref _entries, _entries.Length + _entries.Length / 8 + 16);
            }
            _entries[_count++] = new Entry { Hash = HashKey.From(tokenHash), KeyId = keyId, StateVersion = Pack(state, version) };
        }

        public KeyHashIndex Build()
        {
            if (_count != _entries.Length)
            {
                Array.Resize(ref _entries, _count);
            }
            Array.Sort(_entries, static (x, y) => x.Hash.CompareTo(y.Hash));
            return new KeyHashIndex(_entries);
        }
    }

    public int Count => _sorted.Length + _added.Count;

    /// <summary>Replays the keys this index gained after its load into <paramref name="target"/>, as changes.</summary>
    public void CopyAddedTo(KeyHashIndex target)
    {
        foreach (var (hash, added) in _added)
        {
            var (state, version) = Unpack(Volatile.Read(ref added.StateVersion));
            target.Set(hash, added.KeyId, state, version);
        }
    }

    public bool TryGet(in HashKey hash, out int keyId, out ApiKeyState state, out long version)
    {
        var at = IndexOf(hash);
        long packed;
        if (at >= 0)
        {
            keyId = _sorted[at].KeyId;
            packed = Volatile.Read(ref _sorted[at].StateVersion);
        }
        else if (_added.TryGetValue(hash, out var added))
        {
            keyId = added.KeyId;
            packed = Volatile.Read(ref added.StateVersion);
        }
        else
        {
            (keyId, state, version) = (0, default, 0);
            return false;
        }
        (state, version) = Unpack(packed);
        return true;
    }

    /// <summary>
    /// Moves a key to a newer state (or adds it). Never out of Deleted, never to an older event; returns the
    /// state the key is in afterwards. Callers hold the directory's lock.
    /// </summary>
    public (ApiKeyState State, long Version) Set(in HashKey hash, int keyId, ApiKeyState state, long version)
    {
        var at = IndexOf(hash);
        ref var packed = ref at >= 0 ? ref _sorted[at].StateVersion : ref AddedSlot(hash, keyId, state, version);
        var (current, currentVersion) = Unpack(packed);
        if (version > currentVersion && current != ApiKeyState.Deleted)
        {
            Volatile.Write(ref packed, Pack(state, version));
            return (state, version);
        }
        return (current, currentVersion);
    }

    private ref long AddedSlot(in HashKey hash, int keyId, ApiKeyState state, long version)
    {
        // Added one event older than this one, so Set applies it like any other change.
        var added = _added.GetOrAdd(hash, static (_, seed) => new Added(seed.keyId, Pack(seed.state, seed.version - 1)), (keyId, state, version));
        return ref added.StateVersion;
    }

    private int IndexOf(in HashKey hash)
    {
        var bucket = hash.Bucket;
        int low = _bucketStarts[bucket], high = _bucketStarts[bucket + 1] - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            var order = _sorted[middle].Hash.CompareTo(hash);
            if (order == 0)
            {
                return middle;
            }
            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        return -1;
    }

    private static long Pack(ApiKeyState state, long version) => version << 2 | (long)state;

    private static (ApiKeyState, long) Unpack(long packed) => ((ApiKeyState)(packed & 3), packed >> 2);
}
