using System.Net;
using Heron.Testing;
using Heron.Web.ApiKeys;
using Heron.Web.Data;
using Heron.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Events;

namespace Heron.Web.Tests.ApiKeys;

/// <summary>What is buffered in memory when the host stops is written by the flush on shutdown.</summary>
public sealed class ShutdownFlushTests
{
    [Fact]
    public async Task A_use_still_buffered_when_the_host_stops_is_written_to_the_database()
    {
        using var file = new TempSqliteFile();
        DateTime requestedAfter = default, answeredBefore = default;
        var (app, keyId) = await UseKeyThenStopAsync(file, "ApiKeys:LastUsedFlushInterval", async (_, client, keyId, db) =>
        {
            requestedAfter = DateTime.UtcNow;
            var response = await client.GetAsync("/api/hello_world/authenticated");
            answeredBefore = DateTime.UtcNow;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Null((await db.ApiKeys.SingleAsync(k => k.Id == keyId)).LastUsedAt);
        });

        await using var db = file.OpenContext();
        var lastUsed = (await db.ApiKeys.SingleAsync(k => k.Id == keyId)).LastUsedAt;
        Assert.True(lastUsed is not null, "last_used was not written on shutdown. Errors logged: " + string.Join(" | ",
            app.Log.Events.Where(e => e.Level >= LogEventLevel.Error).Select(e => e.RenderMessage() + " " + e.Exception?.GetBaseException().Message)));
        Assert.Equal(DateTimeKind.Utc, lastUsed.Value.Kind);
        Assert.InRange(lastUsed.Value, requestedAfter, answeredBefore);
    }

    [Fact]
    public async Task Usage_still_buffered_when_the_host_stops_is_written_without_a_warning()
    {
        using var file = new TempSqliteFile();
        var (app, keyId) = await UseKeyThenStopAsync(file, "ApiKeys:UsageFlushInterval", async (app, client, keyId, db) =>
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/hello_world/authenticated")).StatusCode);
            }
            // Still in memory when the host stops (the periodic flush ran once, at start-up, before any request).
            Assert.Equal(3, app.Services.GetRequiredService<UsageRecorder>().Pending(keyId).Values.Sum(counts => counts.Accepted));
            Assert.Empty(await db.ApiKeyUsageBuckets.ToListAsync());
        });

        await using var db = file.OpenContext();
        var written = await db.ApiKeyUsageBuckets.Where(b => b.ApiKeyId == keyId).SumAsync(b => b.Accepted);
        var warnings = app.Log.Events.Where(e => e.Level >= LogEventLevel.Warning && e.Properties["SourceContext"].ToString().Contains("Usage"))
            .Select(e => $"{e.RenderMessage()} {e.Exception}").ToList();
        Assert.True(written == 3, $"{written} of 3 accepted requests written on shutdown. Warnings: {string.Join(" | ", warnings)}");
        // The host is stopped twice (WebApplicationFactory and the app's own RunAsync); the second flush, with
        // nothing left to write, must not touch the disposed container.
        Assert.True(warnings.Count == 0, string.Join(Environment.NewLine, warnings));
    }

    /// <summary>
    /// Starts the app on <paramref name="file"/> with the periodic flush named by <paramref name="flushInterval"/>
    /// pushed out of reach, so only the flush on shutdown can write; issues a key, runs <paramref name="whileRunning"/>
    /// with a client using it (and a context on the file), then stops the app.
    /// </summary>
    private static async Task<(HeronFactoryOnFile App, int KeyId)> UseKeyThenStopAsync(TempSqliteFile file, string flushInterval,
        Func<HeronFactoryOnFile, HttpClient, int, HeronDbContext, Task> whileRunning)
    {
        var app = new HeronFactoryOnFile(file.Path);
        app.Settings[flushInterval] = "01:00:00";
        try
        {
            var token = await app.IssueKeyAsync(await app.OnboardAsync());
            var tokenHash = ApiKeyToken.Hash(token);
            await using var db = file.OpenContext();
            // A projection, so the context tracks no key: what the callback reads is what the database holds.
            var keyId = await db.ApiKeys.Where(k => k.TokenHash == tokenHash).Select(k => k.Id).SingleAsync();
            await whileRunning(app, app.ClientWithKey(token), keyId, db);
            return (app, keyId);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
