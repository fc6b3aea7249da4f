namespace Heron.Web.Tests.Infrastructure;

/// <summary>Waits for a condition the app reaches asynchronously, checking it until a deadline.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Condition not met within {(timeout ?? TimeSpan.FromSeconds(15)).TotalSeconds} s{(because is null ? "" : ": " + because)}");
            }
            await Task.Yield();
            await Task.Delay(20);
        }
    }
}
