using Heron.Web.ApiKeys;
using Microsoft.Extensions.Logging.Abstractions;

namespace Heron.Web.Tests.ApiKeys;

/// <summary>Every request with a valid key records its use; many at once must keep the latest, and a flush must lose none.</summary>
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
    public async Task A_use_recorded_while_flushes_forget_what_they_wrote_is_never_lost()
    {
        await using var bed = await LastUsedTestBed.CreateAsync();
        var recorder = bed.Recorder;
        var start = new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);
        var lastUse = start;

        // Flushes back to back whenever a use is pending, each forgetting what it wrote unless a later use replaced it meanwhile.
        using var done = new CancellationTokenSource();
        var flusher = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                if (recorder.Pending(bed.KeyId) is null)
                {
                    await Task.Yield();
                    continue;
                }
                await recorder.FlushAsync(CancellationToken.None);
            }
        });
        // A later use every time: for the first 10 flushes with pauses, so that some flushes forget everything
        // they took, then without, so that the last use comes right after the 20th flush has taken its snapshot,
        // most likely while that flush writes.
        var flushesBefore = recorder.FlushesStarted;
        for (var i = 1; ; i++)
        {
            var flushes = recorder.FlushesStarted - flushesBefore;
            lastUse = start.AddTicks(i);
            recorder.Record(bed.KeyId, lastUse);
            if (flushes >= 20 || flusher.IsCompleted) // a failed flush ends the flusher: awaiting it below reports why
            {
                break;
            }
            if (flushes < 10 && i % 500 == 0)
            {
                await Task.Delay(1);
            }
        }
        await done.CancelAsync();
        await flusher;

        // The last use is either written or still pending for the next flush.
        var stored = await bed.StoredLastUsedAsync();
        Assert.NotNull(stored);
        Assert.Equal(lastUse, new[] { stored.Value, recorder.Pending(bed.KeyId) ?? DateTime.MinValue }.Max());
    }
}
