using System.Net;
using System.Text.Json;
using Heron.Web.ApiKeys;
using Heron.Web.Health;
using Heron.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Heron.Web.Tests.Health;

/// <summary>Readiness fails while the database refuses writes, and says so in Heron's envelope.</summary>
public sealed class ReadinessTests(HeronFactory factory) : IClassFixture<HeronFactory>
{
    [Fact]
    public async Task Ready_is_503_with_the_envelope_while_another_process_holds_the_write_lock_and_200_again_after()
    {
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        var eventsBefore = CountEvents();

        await using (var holder = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False"))
        {
            await holder.OpenAsync();
            await using var exclusive = holder.CreateCommand();
            exclusive.CommandText = "BEGIN EXCLUSIVE;";
            await exclusive.ExecuteNonQueryAsync();

            using var refused = await client.GetAsync("/health/ready");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            var envelope = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(503, envelope.GetProperty("code").GetInt32());
            Assert.Equal("Service Unavailable", envelope.GetProperty("name").GetString());
            Assert.Contains("cannot be written", envelope.GetProperty("description").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(eventsBefore, CountEvents());
    }

    [Fact]
    public async Task Probes_write_nothing()
    {
        using var client = factory.CreateClient();
        var rowsBefore = RowsInEveryTable();

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        }

        Assert.Equal(rowsBefore, RowsInEveryTable());
    }

    [Fact]
    public async Task The_key_check_is_unhealthy_until_the_directory_is_loaded()
    {
        var unloaded = new ApiKeyDirectory(factory.Services.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new ApiKeyOptions()), TimeProvider.System);

        var result = await new ApiKeysLoadedCheck(unloaded).CheckHealthAsync(new HealthCheckContext());
        var loaded = await new ApiKeysLoadedCheck(factory.Services.GetRequiredService<ApiKeyDirectory>()).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal(HealthStatus.Healthy, loaded.Status);
    }

    private long CountEvents() => Scalar("SELECT count(*) FROM ApiKeyEvents");

    /// <summary>Rows in every table: a probe that wrote anything would change one.</summary>
    private long RowsInEveryTable()
    {
        var tables = new List<string>();
        using var connection = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False");
        connection.Open();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }
        return tables.Sum(t => Scalar($"SELECT count(*) FROM \"{t}\""));
    }

    private long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
