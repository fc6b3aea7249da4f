using BenchmarkDotNet.Attributes;
using Heron.Web.ApiKeys;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Benchmarks;

/// <summary>
/// The whole key check of an <c>/api</c> request as <see cref="ApiKeyMiddleware"/> runs it: reading the
/// header, verifying the key, and recording a valid key's use. A refusal stops at the verdict here; its
/// 401 body, rate-limit count and log event are written afterwards by the middleware.
/// </summary>
[MemoryDiagnoser]
public class ApiKeyVerifierBenchmarks
{
    private HeronKeys _keys = null!;
    private ApiKeyVerifier _verifier = null!;
    private DefaultHttpContext _valid = null!, _deactivated = null!, _unknown = null!, _malformed = null!;

    [GlobalSetup]
    public void Setup()
    {
        _keys = HeronKeys.CreateAsync(cachedKeys: 10).GetAwaiter().GetResult();
        _verifier = _keys.Services.GetRequiredService<ApiKeyVerifier>();
        _valid = Request(_keys.Valid);
        _deactivated = Request(_keys.Deactivated);
        _unknown = Request(_keys.Unknown);
        _malformed = Request(_keys.Malformed);
        if (Verify(_valid).AsTask().GetAwaiter().GetResult().Caller is null
            || Verify(_deactivated).AsTask().GetAwaiter().GetResult().Rejection?.Reason != RejectionReason.Deactivated
            || Verify(_unknown).AsTask().GetAwaiter().GetResult().Rejection?.Reason != RejectionReason.Unknown
            || Verify(_malformed).AsTask().GetAwaiter().GetResult().Rejection?.Reason != RejectionReason.Malformed)
        {
            throw new InvalidOperationException("A case does not take the path it is named after.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _keys.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public ValueTask<ApiKeyVerification> Valid() => Verify(_valid);

    [Benchmark]
    public ValueTask<ApiKeyVerification> Deactivated() => Verify(_deactivated);

    [Benchmark]
    public ValueTask<ApiKeyVerification> Unknown() => Verify(_unknown);

    [Benchmark]
    public ValueTask<ApiKeyVerification> Malformed() => Verify(_malformed);

    private ValueTask<ApiKeyVerification> Verify(HttpContext context) => _verifier.VerifyAsync(context);

    private DefaultHttpContext Request(string token)
    {
        var context = new DefaultHttpContext { RequestServices = _keys.Services };
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = "/api/hello_world/authenticated";
        context.Request.Headers[ApiKeyVerifier.HeaderName] = token;
        return context;
    }
}
