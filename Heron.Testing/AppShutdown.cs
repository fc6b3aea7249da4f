using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Heron.Testing;

public static class AppShutdown
{
    /// <summary>
    /// Stops the app and waits for its own shutdown to finish. Left to WebApplicationFactory, the host is
    /// stopped twice at once (by the factory and by Program's RunAsync), and the factory's call can return
    /// while the other is still writing (API keys' last use, say) to a database file about to be deleted.
    /// </summary>
    public static async Task StopAndWaitAsync(this IServiceProvider services)
    {
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStopped.Register(() => stopped.TrySetResult());
        lifetime.StopApplication();
        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
