using System.Net;
using Heron.Web.ApiKeys;
using Heron.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Serilog.Events;

namespace Heron.Web.Tests.ApiKeys;

public sealed class LastUsedShutdownFlushTests
{
    [Fact]
    public async Task A_use_still_buffered_when_the_host_stops_is_written_to_the_database()
    {
        using var file = new TempSqliteFile();
        var app = new HeronFactoryOnFile(file.Path);
        // The periodic flush never comes, so only the flush on shutdown can write the use.
        app.Settings["ApiKeys:LastUsedFlushInterval"] = "01:00:00";
        byte[] tokenHash;
        DateTime requestedAfter, answeredBefore;
        try
        {
            var token = await app.IssueKeyAsync(await app.OnboardAsync());
            tokenHash = ApiKeyToken.Hash(token);

            requestedAfter = DateTime.UtcNow;
            var response = await app.ClientWithKey(token).GetAsync("/api/hello_world/authenticated");
            answeredBefore = DateTime.UtcNow;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            await using var whileRunning = file.OpenContext();
            Assert.Null((await whileRunning.ApiKeys.SingleAsync(k => k.TokenHash == tokenHash)).LastUsedAt);
        }
        finally
        {
            await app.DisposeAsync();
        }

        await using var db = file.OpenContext();
        var lastUsed = (await db.ApiKeys.SingleAsync(k => k.TokenHash == tokenHash)).LastUsedAt;
        Assert.True(lastUsed is not null, "last_used was not written on shutdown. Errors logged: " + string.Join(" | ",
            app.Log.Events.Where(e => e.Level >= LogEventLevel.Error).Select(e => e.RenderMessage() + " " + e.Exception?.GetBaseException().Message)));
        Assert.Equal(DateTimeKind.Utc, lastUsed.Value.Kind);
        Assert.InRange(lastUsed.Value, requestedAfter, answeredBefore);
    }
}
