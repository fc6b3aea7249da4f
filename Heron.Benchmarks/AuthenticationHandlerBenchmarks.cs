using BenchmarkDotNet.Attributes;
using Heron.Web.ApiKeys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Benchmarks;

/// <summary>
/// The whole authentication step of an <c>/api</c> request: a new <see cref="ApiKeyAuthenticationHandler"/>
/// per request (as ASP.NET Core creates one), reading the header, verifying the key, and for a valid key
/// recording its use and building the principal. A refusal stops at the failed result here; its 401 body,
/// rate-limit count and log event are written later, by the challenge.
/// </summary>
[MemoryDiagnoser]
public class AuthenticationHandlerBenchmarks
{
    private static readonly AuthenticationScheme Scheme =
        new(ApiKeyAuthenticationHandler.SchemeName, null, typeof(ApiKeyAuthenticationHandler));

    private HeronKeys _keys = null!;
    private IServiceProvider _services = null!;
    private DefaultHttpContext _valid = null!, _deactivated = null!, _unknown = null!, _malformed = null!;

    [GlobalSetup]
    public void Setup()
    {
        _keys = HeronKeys.CreateAsync(cachedKeys: 10).GetAwaiter().GetResult();
        _services = _keys.Services;
        _valid = Request(_keys.Valid);
        _deactivated = Request(_keys.Deactivated);
        _unknown = Request(_keys.Unknown);
        _malformed = Request(_keys.Malformed);
        if (!Authenticate(_valid).GetAwaiter().GetResult().Succeeded
            || Authenticate(_deactivated).GetAwaiter().GetResult().Failure?.Message.Contains("deactivated") != true
            || Authenticate(_unknown).GetAwaiter().GetResult().Failure?.Message.StartsWith("Unknown") != true
            || Authenticate(_malformed).GetAwaiter().GetResult().Failure?.Message.StartsWith("Malformed") != true)
        {
            throw new InvalidOperationException("A case does not take the path it is named after.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _keys.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public Task<AuthenticateResult> Valid() => Authenticate(_valid);

    [Benchmark]
    public Task<AuthenticateResult> Deactivated() => Authenticate(_deactivated);

    [Benchmark]
    public Task<AuthenticateResult> Unknown() => Authenticate(_unknown);

    [Benchmark]
    public Task<AuthenticateResult> Malformed() => Authenticate(_malformed);

    private async Task<AuthenticateResult> Authenticate(HttpContext context)
    {
        var handler = _services.GetRequiredService<ApiKeyAuthenticationHandler>();
        await handler.InitializeAsync(Scheme, context);
        return await handler.AuthenticateAsync();
    }

    private DefaultHttpContext Request(string token)
    {
        var context = new DefaultHttpContext { RequestServices = _services };
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = "/api/hello_world/authenticated";
        context.Request.Headers[ApiKeyAuthenticationHandler.HeaderName] = token;
        return context;
    }
}
