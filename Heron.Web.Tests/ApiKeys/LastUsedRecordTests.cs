using Heron.Web.ApiKeys;
using Microsoft.Extensions.Logging.Abstractions;

namespace Heron.Web.Tests.ApiKeys;

/// <summary>Every request with a valid key records its use; many at once must keep the latest, without a lock.</summary>
public sealed class LastUsedRecordTests
{
    [Fact]
    public async Task Concurrent_uses_of_one_key_keep_the_latest_and_an_older_use_never_moves_it_back()
    {
        // Record and Pending never touch the database.
        var recorder = new LastUsedRecorder(scopes: null!, NullLogger<LastUsedRecorder>.Instance);
        var start = new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);
        const int usesPerWriter = 50_000;
        const int writers = 4;

        // Each writer records its own interleaved times, in an order that has older uses arriving after newer ones.
        await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(() =>
        {
            for (var i = usesPerWriter - 1; i >= 0; i -= 2)
            {
                recorder.Record(7, start.AddTicks(i * writers + writer));
            }
            for (var i = usesPerWriter - 2; i >= 0; i -= 2)
            {
                recorder.Record(7, start.AddTicks(i * writers + writer));
            }
        })));

        Assert.Equal(start.AddTicks((usesPerWriter - 1) * writers + writers - 1), recorder.Pending(7));
        recorder.Record(7, start);
        Assert.Equal(start.AddTicks((usesPerWriter - 1) * writers + writers - 1), recorder.Pending(7));
        Assert.Null(recorder.Pending(8));
    }

    [Fact]
    public async Task A_use_recorded_while_a_flush_forgets_what_it_wrote_is_never_lost()
    {
        var cell = new UseCell();
        cell.MoveForward(5);
        cell.Forget(3); // a flush that wrote 3 while 5 arrived
        Assert.Equal(5, cell.Ticks);
        cell.Forget(5);
        Assert.Equal(0, cell.Ticks);

        const long lastUse = 200_000;
        var written = 0L;

        // The flush's side: take what is pending, "write" it, forget it unless a later use replaced it.
        using var done = new CancellationTokenSource();
        var flusher = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                if (cell.Ticks is var ticks and not 0)
                {
                    written = Math.Max(written, ticks);
                    cell.Forget(ticks);
                }
            }
        });
        await Task.Run(() =>
        {
            for (var ticks = 1L; ticks <= lastUse; ticks++)
            {
                cell.MoveForward(ticks);
            }
        });
        await done.CancelAsync();
        await flusher;

        // The last use is either written or still pending for the next flush.
        Assert.Equal(lastUse, Math.Max(written, cell.Ticks));
    }
}
