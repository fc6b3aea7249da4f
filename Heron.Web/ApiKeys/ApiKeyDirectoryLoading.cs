using Heron.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Heron.Web.ApiKeys;

/// <summary>Start-up: every live key's hash into memory, and the budget for tokens the feed may not have brought yet.</summary>
public sealed partial class ApiKeyDirectory
{
    private readonly RecheckBudget recheck = new(options.Value.UnknownTokenLookupsPerSecond, clock);

    /// <summary>
    /// Reads every key that is not deleted into the index, each at <paramref name="cursor"/>: the change feed's
    /// position taken before this read, so every event the read may have missed is applied after it.
    /// </summary>
    internal async Task LoadAllAsync(long cursor, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HeronDbContext>();
        var live = db.ApiKeys.AsNoTracking().Where(k => k.DeletedAt == null);
        // Sized from a count first: an array that doubles its way to ten million keys peaks at twice the memory.
        var keys = new KeyHashIndex.Builder(await live.CountAsync(cancellationToken) + 64, cursor);
        await foreach (var key in live.Select(k => new { k.Id, k.TokenHash, k.IsActive }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            keys.Add(key.TokenHash, key.Id, key.IsActive ? ApiKeyState.Active : ApiKeyState.Deactivated);
        }
        var index = keys.Build();
        lock (_gate)
        {
            // Changes applied before or while the snapshot was read (keys this instance created) carry on.
            _index.CopyAddedTo(index);
            _index = index;
        }
        if (index.Count >= 100_000)
        {
            // Once, after the largest allocation the process makes: the rows read are garbage, and the index is on
            // the large object heap, which is only compacted when asked. Returns the load's slack to the system.
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }

    /// <summary>Called by the change feed once the snapshot and the events since its cursor are applied.</summary>
    internal void MarkLoaded() => _loaded.TrySetResult();

    /// <summary>
    /// A token that is in no instance's memory can only be a key created elsewhere since this instance's last
    /// poll. A few such tokens a second are read from the database, the rest refused from memory, so a flood of
    /// invented keys costs at most this many queries a second while a key used on another instance the moment
    /// it was created still works.
    /// </summary>
    private sealed class RecheckBudget(int perSecond, TimeProvider clock)
    {
        private readonly Lock _gate = new();
        private long _second;
        private int _taken;

        public bool TryTake()
        {
            var second = clock.GetTimestamp() / clock.TimestampFrequency;
            if (Volatile.Read(ref _second) != second)
            {
                lock (_gate)
                {
                    if (_second != second)
                    {
                        _taken = 0;
                        Volatile.Write(ref _second, second);
                    }
                }
            }
            return Interlocked.Increment(ref _taken) <= perSecond;
        }
    }
}
