using System.Diagnostics;

namespace Heron.Web.Tests.Infrastructure;

/// <summary>Waits for a condition the app reaches asynchronously by polling it until a deadline; never a fixed sleep.</summary>
public static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    public static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> isDone, TimeSpan deadline, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (isDone(value))
            {
                return value;
            }
            if (clock.Elapsed > deadline)
            {
                throw new Xunit.Sdk.XunitException($"Gave up after {deadline.TotalSeconds:0.#} s waiting for {what}.");
            }
            await Task.Delay(PollInterval);
        }
    }

    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, string? because = null) =>
        WaitForAsync(condition, done => done, timeout ?? TimeSpan.FromSeconds(15), because ?? "the condition");
}
