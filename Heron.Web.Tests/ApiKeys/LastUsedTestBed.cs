using System.Diagnostics;
using Heron.Web.ApiKeys;
using Heron.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.ApiKeys;

/// <summary>
/// An app on a SQLite file with one issued key and no periodic <c>last_used</c> flush, and a way to hold the
/// database so that a flush waits inside its write.
/// </summary>
public sealed class LastUsedTestBed : IAsyncDisposable
{
    private readonly TempSqliteFile _file = new();
    private SqliteConnection? _blocker;

    private LastUsedTestBed() => App = new HeronFactoryOnFile(_file.Path);

    public HeronFactoryOnFile App { get; }
    public LastUsedRecorder Recorder => App.Services.GetRequiredService<LastUsedRecorder>();
    public int KeyId { get; private set; }

    public static async Task<LastUsedTestBed> CreateAsync()
    {
        var bed = new LastUsedTestBed();
        bed.App.Settings["ApiKeys:LastUsedFlushInterval"] = "01:00:00";
        var tokenHash = ApiKeyToken.Hash(await bed.App.IssueKeyAsync(await bed.App.OnboardAsync()));
        await using var db = bed._file.OpenContext();
        bed.KeyId = await db.ApiKeys.Where(k => k.TokenHash == tokenHash).Select(k => k.Id).SingleAsync();
        return bed;
    }

    /// <summary>The key's <c>LastUsedAt</c> as the database has it.</summary>
    public async Task<DateTime?> StoredLastUsedAsync()
    {
        await using var db = _file.OpenContext();
        return await db.ApiKeys.Where(k => k.Id == KeyId).Select(k => k.LastUsedAt).SingleAsync();
    }

    /// <summary>Another connection takes SQLite's write lock: a flush started now waits inside its write.</summary>
    public async Task HoldDatabaseAsync()
    {
        _blocker = new SqliteConnection(_file.ConnectionString);
        await _blocker.OpenAsync();
        await using var begin = _blocker.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        await begin.ExecuteNonQueryAsync();
    }

    public async Task ReleaseDatabaseAsync()
    {
        await using var rollback = _blocker!.CreateCommand();
        rollback.CommandText = "ROLLBACK;";
        await rollback.ExecuteNonQueryAsync();
    }

    /// <summary>Waits until a flush after <paramref name="flushesBefore"/> has begun.</summary>
    public async Task FlushStartedAsync(int flushesBefore, string because)
    {
        var deadline = Stopwatch.StartNew();
        while (Recorder.FlushesStarted == flushesBefore)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), because);
            await Task.Delay(5);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_blocker is not null)
        {
            await _blocker.DisposeAsync();
        }
        await App.DisposeAsync();
        _file.Dispose();
    }
}
