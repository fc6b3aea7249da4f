using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Heron.Web.Tests.Infrastructure;

/// <summary>
/// The real app plus one test-only route under <c>/api</c> that throws, to see what a caller gets
/// from an unhandled exception. The route is added behind the app's own pipeline, so the exception
/// travels back out through Heron's exception handler exactly as one from an endpoint would.
/// </summary>
public sealed class ThrowingEndpointFactory : HeronFactory
{
    public const string Path = "/api/test-only/throw";
    /// <summary>Text in the exception's message that must never reach the caller.</summary>
    public const string SecretMessage = "connection string Password=hunter2 leaked";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddTransient<IStartupFilter, ThrowingRoute>());
    }

    private sealed class ThrowingRoute : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Map(Path, branch => branch.Run(_ => throw new InvalidOperationException(SecretMessage)));
        };
    }
}
