using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Heron.Web.RateLimiting;

/// <summary>
/// The windows every instance shares in Redis (<c>RateLimiting:Redis</c>). Per window, three keys: how many
/// requests every instance served (<c>used</c>, for <c>x-ratelimit-remaining</c>), how many permits are
/// leased out (<c>:claimed</c>, never more than the limit), and which instances count the window
/// (<c>:instances</c>). One atomic script adds an instance's served requests, gives back what it releases,
/// and grants a new lease when asked. Redis going away is an outage, not an error: it is logged once,
/// <c>/health/ready</c> says Degraded, and counting is per instance until a probe finds Redis again.
/// </summary>
public sealed class RedisWindowStore : IAsyncDisposable
{
    // A lease is a share of what is still free, smaller the more instances count the window (N + 1: one
    // more may join before the others learn of it), and at least one permit while any is free, so the
    // permits leased never pass the limit. The asking request is served from its own lease. All three keys
    // expire a little after the window.
    private static readonly LuaScript LeaseScript = LuaScript.Prepare("""
        local used = redis.call('INCRBY', @used, @served)
        local claimed = redis.call('INCRBY', @claimed, @claim)
        if claimed < 0 then
            claimed = 0
            redis.call('SET', @claimed, 0)
        end
        redis.call('SADD', @instances, @instance)
        local n = redis.call('SCARD', @instances)
        local grant = 0
        local free = tonumber(@limit) - claimed
        if tonumber(@want) == 1 and free > 0 then
            grant = math.max(1, math.floor(free / (2 * (n + 1))))
            claimed = redis.call('INCRBY', @claimed, grant)
            used = redis.call('INCRBY', @used, 1)
        end
        if redis.call('PTTL', @used) < 0 then
            redis.call('PEXPIRE', @used, @ttl)
            redis.call('PEXPIRE', @claimed, @ttl)
            redis.call('PEXPIRE', @instances, @ttl)
        end
        return { used, n, grant, claimed }
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

    /// <summary>
    /// Adds <paramref name="served"/> requests to the window's count and <paramref name="claim"/> permits to
    /// what is leased (negative: a release). With <paramref name="want"/>, a request asks for a lease: if one
    /// is granted, its first permit is that request's, already counted as served. Null in an outage.
    /// </summary>
    public async Task<WindowState?> LeaseAsync(string key, long served, long claim, bool want, int limit, TimeSpan ttl)
    {
        try
        {
            var connection = await _connection.Value;
            if (connection is null || !connection.IsConnected)
            {
                Down("not connected");
                return null;
            }
            var result = (RedisResult[])(await connection.GetDatabase().ScriptEvaluateAsync(LeaseScript, new
            {
                used = (RedisKey)key,
                claimed = (RedisKey)(key + ":claimed"),
                instances = (RedisKey)(key + ":instances"),
                instance = _instance,
                served,
                claim,
                want = want ? 1 : 0,
                limit,
                ttl = (long)ttl.TotalMilliseconds,
            }))!;
            Up();
            return new((long)result[0], (int)result[1], (long)result[2], (long)result[3]);
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

/// <summary>A window as Redis holds it after a <see cref="RedisWindowStore.LeaseAsync"/>.</summary>
/// <param name="Used">Requests every instance served in the window.</param>
/// <param name="Instances">How many instances count the window.</param>
/// <param name="Granted">Permits leased to this instance by this call (0: none asked for, or none free).</param>
/// <param name="Claimed">Permits leased out to every instance, this grant included.</param>
public readonly record struct WindowState(long Used, int Instances, long Granted, long Claimed);

/// <summary>Degraded, not unhealthy, while Redis is away: requests are still served, counted per instance.</summary>
public sealed class RedisRateLimitHealthCheck(RedisWindowStore store) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(store.Available
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded("Redis is unreachable: rate limits are counted per instance."));
}
