using System.Diagnostics;
using Heron.Web.ApiKeys;
using Heron.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
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
        using var file = new TempSqliteFile();
        await using var app = new HeronFactoryOnFile(file.Path);
        app.Settings["ApiKeys:LastUsedFlushInterval"] = "01:00:00";
        var tokenHash = ApiKeyToken.Hash(await app.IssueKeyAsync(await app.OnboardAsync()));
        int keyId;
        await using (var db = file.OpenContext())
        {
            keyId = await db.ApiKeys.Where(k => k.TokenHash == tokenHash).Select(k => k.Id).SingleAsync();
        }
        var recorder = app.Services.GetRequiredService<LastUsedRecorder>();
        using var flusher = new LastUsedFlusher(recorder, app.Services.GetRequiredService<IOptions<ApiKeyOptions>>(), TimeProvider.System);
        await flusher.StartAsync(CancellationToken.None);
        var usedAt = DateTime.UtcNow;
        recorder.Record(keyId, usedAt);

        // Another writer holds the database, so the first stop's flush waits inside its write.
        await using var blocker = new SqliteConnection(file.ConnectionString);
        await blocker.OpenAsync();
        await using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE;";
            await begin.ExecuteNonQueryAsync();
        }
        var firstStop = Task.Run(() => flusher.StopAsync(CancellationToken.None));
        var deadline = Stopwatch.StartNew();
        while (recorder.Pending(keyId) is not null)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "The first stop never started its flush.");
            await Task.Delay(5);
        }

        var secondStop = Task.Run(async () =>
        {
            await flusher.StopAsync(CancellationToken.None);
            await using var db = file.OpenContext();
            return await db.ApiKeys.Where(k => k.Id == keyId).Select(k => k.LastUsedAt).SingleAsync();
        });
        // A correct second stop is still waiting here; a wrong one has already returned and read the database.
        await Task.WhenAny(secondStop, Task.Delay(TimeSpan.FromMilliseconds(300)));
        await using (var rollback = blocker.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync();
        }

        Assert.Equal(usedAt, await secondStop);
        await firstStop;
    }
}
