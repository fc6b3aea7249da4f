using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Heron.Web.RateLimiting;

/// <summary>
/// The window totals every instance shares in Redis (<c>RateLimiting:Redis</c>). One atomic script adds an
/// instance's delta to a window's key and reads the total back. Redis going away is an outage, not an
/// error: it is logged once, <c>/health/ready</c> says Degraded, and counting is per instance until a probe
/// finds Redis again.
/// </summary>
public sealed class RedisWindowStore : IAsyncDisposable
{
    // INCRBY the window's total and note this instance among the window's counters, both expiring a little
    // after the window; returns the total and how many instances count the window.
    private static readonly LuaScript AddScript = LuaScript.Prepare("""
        local total = redis.call('INCRBY', @key, @delta)
        redis.call('SADD', @instances, @instance)
        if redis.call('PTTL', @key) < 0 then
            redis.call('PEXPIRE', @key, @ttl)
            redis.call('PEXPIRE', @instances, @ttl)
        end
        return { total, redis.call('SCARD', @instances) }
        """);
    private readonly string _instance = Guid.NewGuid().ToString("N");

    private readonly ILogger<RedisWindowStore> _logger;
    private readonly Lazy<Task<ConnectionMultiplexer?>> _connection;
    private int _down;

    public RedisWindowStore(IOptions<RateLimitOptions> options, ILogger<RedisWindowStore> logger)
    {
        _logger = logger;
        var configuration = ConfigurationOptions.Parse(options.Value.Redis!);
        // Keep connecting in the background; never queue commands behind a lost connection, and never
        // let a slow Redis hold a request for long: the request is then counted on this instance.
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ReconnectRetryPolicy = new ExponentialRetry(250, 5000);
        configuration.ConnectTimeout = Math.Min(configuration.ConnectTimeout, 2000);
        configuration.SyncTimeout = configuration.AsyncTimeout = Math.Min(configuration.AsyncTimeout, 500);
        _connection = new(() => ConnectAsync(configuration));
    }

    /// <summary>Whether the last command reached Redis; while false, requests are counted per instance.</summary>
    public bool Available => Volatile.Read(ref _down) == 0;

    /// <summary>Adds <paramref name="delta"/> to the window's key: the total of every instance and how many count it, or null in an outage.</summary>
    public async Task<(long Total, int Instances)?> AddAsync(string key, long delta, TimeSpan ttl)
    {
        try
        {
            var connection = await _connection.Value;
            if (connection is null || !connection.IsConnected)
            {
                Down("not connected");
                return null;
            }
            var result = (RedisResult[])(await connection.GetDatabase().ScriptEvaluateAsync(AddScript,
                new { key = (RedisKey)key, instances = (RedisKey)(key + ":instances"), instance = _instance, delta, ttl = (long)ttl.TotalMilliseconds }))!;
            Up();
            return ((long)result[0], (int)result[1]);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Down(ex.Message);
            return null;
        }
    }

    /// <summary>During an outage, whether Redis answers again (so counting goes global with no traffic needed).</summary>
    public async Task ProbeAsync()
    {
        try
        {
            var connection = await _connection.Value;
            if (connection is { IsConnected: true })
            {
                await connection.GetDatabase().PingAsync();
                Up();
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Down(ex.Message);
        }
    }

    private async Task<ConnectionMultiplexer?> ConnectAsync(ConfigurationOptions configuration)
    {
        try
        {
            return await ConnectionMultiplexer.ConnectAsync(configuration);
        }
        catch (RedisConnectionException ex)
        {
            Down(ex.Message);
            return null;
        }
    }

    private void Down(string reason)
    {
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            _logger.LogWarning("Redis is unreachable ({Reason}): rate limits are counted per instance until it returns", reason);
        }
    }

    private void Up()
    {
        if (Interlocked.Exchange(ref _down, 0) == 1)
        {
            _logger.LogInformation("Redis is back: rate limits are counted across instances again");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated && await _connection.Value is { } connection)
        {
            await connection.DisposeAsync();
        }
    }
}

/// <summary>Degraded, not unhealthy, while Redis is away: requests are still served, counted per instance.</summary>
public sealed class RedisRateLimitHealthCheck(RedisWindowStore store) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(store.Available
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded("Redis is unreachable: rate limits are counted per instance."));
}
