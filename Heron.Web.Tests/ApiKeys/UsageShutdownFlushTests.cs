using System.Net;
using Heron.Web.ApiKeys;
using Heron.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Events;

namespace Heron.Web.Tests.ApiKeys;

public sealed class UsageShutdownFlushTests
{
    [Fact]
    public async Task Usage_still_buffered_when_the_host_stops_is_written_without_a_warning()
    {
        using var file = new TempSqliteFile();
        var app = new HeronFactoryOnFile(file.Path);
        // The periodic flush never comes, so only the flush on shutdown can write the counts.
        app.Settings["ApiKeys:UsageFlushInterval"] = "01:00:00";
        byte[] tokenHash;
        try
        {
            var token = await app.IssueKeyAsync(await app.OnboardAsync());
            tokenHash = ApiKeyToken.Hash(token);
            var client = app.ClientWithKey(token);
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/hello_world/authenticated")).StatusCode);
            }

            await using var whileRunning = file.OpenContext();
            var id = (await whileRunning.ApiKeys.SingleAsync(k => k.TokenHash == tokenHash)).Id;
            // Still in memory when the host stops (the periodic flush ran once, at start-up, before any request).
            Assert.Equal(3, app.Services.GetRequiredService<UsageRecorder>().Pending(id).Values.Sum(counts => counts.Accepted));
            Assert.Empty(await whileRunning.ApiKeyUsageBuckets.ToListAsync());
        }
        finally
        {
            await app.DisposeAsync();
        }

        await using var db = file.OpenContext();
        var keyId = (await db.ApiKeys.SingleAsync(k => k.TokenHash == tokenHash)).Id;
        var written = await db.ApiKeyUsageBuckets.Where(b => b.ApiKeyId == keyId).SumAsync(b => b.Accepted);
        var warnings = app.Log.Events.Where(e => e.Level >= LogEventLevel.Warning && e.Properties["SourceContext"].ToString().Contains("Usage"))
            .Select(e => $"{e.RenderMessage()} {e.Exception}").ToList();
        Assert.True(written == 3, $"{written} of 3 accepted requests written on shutdown. Warnings: {string.Join(" | ", warnings)}");
        // The host is stopped twice (WebApplicationFactory and the app's own RunAsync); the second flush, with
        // nothing left to write, must not touch the disposed container.
        Assert.True(warnings.Count == 0, string.Join(Environment.NewLine, warnings));
    }
}
