using Heron.Web.ApiKeys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Heron.Web.Tests.ApiKeys;

/// <summary>
/// A host can be stopped twice at once: WebApplicationFactory stops the app's host while the app's own
/// <c>RunAsync</c>, woken by the stopping signal, stops it too, and the host is then disposed by whichever
/// returns first. So no stop may return before the buffered uses are written.
/// </summary>
public sealed class LastUsedFlusherStopTests
{
    [Fact]
    public async Task A_second_stop_during_the_final_flush_returns_only_after_the_uses_are_written()
    {
        await using var bed = await LastUsedTestBed.CreateAsync();
        var recorder = bed.Recorder;
        using var flusher = new LastUsedFlusher(recorder, bed.App.Services.GetRequiredService<IOptions<ApiKeyOptions>>(), TimeProvider.System);
        await flusher.StartAsync(CancellationToken.None);
        var usedAt = DateTime.UtcNow;
        recorder.Record(bed.KeyId, usedAt);

        // Another writer holds the database, so the first stop's flush waits inside its write.
        await bed.HoldDatabaseAsync();
        var flushesBefore = recorder.FlushesStarted;
        var firstStop = Task.Run(() => flusher.StopAsync(CancellationToken.None));
        await bed.FlushStartedAsync(flushesBefore, because: "The first stop never started its flush.");

        var secondStop = Task.Run(async () =>
        {
            await flusher.StopAsync(CancellationToken.None);
            return await bed.StoredLastUsedAsync();
        });
        // A correct second stop is still waiting here; a wrong one has already returned and read the database.
        await Task.WhenAny(secondStop, Task.Delay(TimeSpan.FromMilliseconds(300)));
        await bed.ReleaseDatabaseAsync();

        Assert.Equal(usedAt, await secondStop);
        await firstStop;
    }
}
