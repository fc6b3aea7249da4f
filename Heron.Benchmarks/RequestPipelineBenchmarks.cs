using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;

namespace Heron.Benchmarks;

/// <summary>
/// One request through the app's whole pipeline (middleware, rate limiting, endpoint, JSON), in memory:
/// bench/run.sh's cases a, b and c without sockets, wrk or the request log. What a valid key costs over an
/// anonymous request is then measured in microseconds of Heron's own code, steadily, where the end-to-end
/// benchmark's requests a second move by tens of percent between rounds and processes.
/// </summary>
[MemoryDiagnoser]
public class RequestPipelineBenchmarks
{
    private const string Anonymous = "/api/hello_world";
    private const string Authenticated = "/api/hello_world/authenticated";
    private HeronKeys _keys = null!;

    [GlobalSetup]
    public void Setup()
    {
        _keys = HeronKeys.CreateAsync(cachedKeys: 10, rateLimits: int.MaxValue).GetAwaiter().GetResult();
        // Fail fast if a case does not take the path it is named after.
        Expect(NoKey(), 200);
        Expect(ValidKey(), 200);
        Expect(UnknownKey(), 401);
    }

    [GlobalCleanup]
    public void Cleanup() => _keys.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Case a: <c>GET /api/hello_world</c>, no key.</summary>
    [Benchmark(Baseline = true)]
    public Task<int> NoKey() => SendAsync(Anonymous, null);

    /// <summary>Case b: <c>GET /api/hello_world/authenticated</c> with a valid key.</summary>
    [Benchmark]
    public Task<int> ValidKey() => SendAsync(Authenticated, _keys.Valid);

    /// <summary>Case c: the same with a well-formed key nobody issued, refused from memory.</summary>
    [Benchmark]
    public Task<int> UnknownKey() => SendAsync(Authenticated, _keys.Unknown);

    private async Task<int> SendAsync(string path, string? token)
    {
        var context = await _keys.SendAsync(http =>
        {
            http.Request.Method = HttpMethods.Get;
            http.Request.Path = path;
            http.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
            if (token is not null)
            {
                http.Request.Headers["x-api-key"] = token;
            }
        });
        return context.Response.StatusCode;
    }

    private static void Expect(Task<int> response, int status)
    {
        var actual = response.GetAwaiter().GetResult();
        if (actual != status)
        {
            throw new InvalidOperationException($"Expected {status}, got {actual}.");
        }
    }
}
