using System.Net.Http.Headers;
using Heron.Web.ApiKeys;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace Heron.Web.Tests.Infrastructure;

/// <summary>
/// The shared test host (<see cref="HeronAppFactory"/>) plus a sink that captures every Serilog event. One
/// per test class (<c>IClassFixture</c>); tests in a class stay apart by onboarding organizations of their own.
/// </summary>
public class HeronFactory : HeronAppFactory
{
    public HeronFactory()
    {
    }

    /// <summary>On a SQLite file the caller owns (see <see cref="HeronFactoryOnFile"/>, <see cref="SecondInstance"/>).</summary>
    protected HeronFactory(string databasePath)
        : base(databasePath)
    {
    }

    /// <summary>A second instance on the same database, as two instances behind a load balancer would be.</summary>
    public HeronFactory SecondInstance() => new(DatabasePath);

    public CapturedLog Log { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Tests send many identical rejections in a second and check each one's event; folding has its own tests.
        builder.UseSetting("ApiKeys:RejectionsLoggedPerSecond", "100000");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Information");
        // After the defaults above, so that a test's Settings win.
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<ILogEventSink>(Log));
    }

    /// <summary>A client that sends <paramref name="token"/> as its x-api-key.</summary>
    public HttpClient ClientWithKey(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyVerifier.HeaderName, token);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }
}
