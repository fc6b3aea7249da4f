namespace Heron.Web.Tests.ApiKeys;

/// <summary>
/// Settings → API Credentials adds the buffered uses to what the database says, so a key used a moment
/// ago never shows "Never". That must hold while a flush is writing, too.
/// </summary>
public sealed class LastUsedFlushVisibilityTests
{
    [Fact]
    public async Task A_use_stays_visible_while_its_flush_writes_and_a_use_recorded_meanwhile_is_kept()
    {
        await using var bed = await LastUsedTestBed.CreateAsync();
        var recorder = bed.Recorder;
        var usedAt = new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);
        recorder.Record(bed.KeyId, usedAt);

        await bed.HoldDatabaseAsync();
        var flushesBefore = recorder.FlushesStarted;
        var flush = Task.Run(() => recorder.FlushAsync(CancellationToken.None));
        await bed.FlushStartedAsync(flushesBefore, because: "The flush never started.");

        Assert.Equal(usedAt, recorder.Pending(bed.KeyId));
        var usedDuringTheWrite = usedAt.AddSeconds(5);
        recorder.Record(bed.KeyId, usedDuringTheWrite);

        await bed.ReleaseDatabaseAsync();
        await flush;

        Assert.Equal(usedAt, await bed.StoredLastUsedAsync());
        Assert.Equal(usedDuringTheWrite, recorder.Pending(bed.KeyId));

        await recorder.FlushAsync(CancellationToken.None);
        Assert.Null(recorder.Pending(bed.KeyId));
        Assert.Equal(usedDuringTheWrite, await bed.StoredLastUsedAsync());
    }
}
