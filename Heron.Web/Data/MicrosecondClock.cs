namespace Heron.Web.Data;

/// <summary>
/// The system clock in whole microseconds: the finest PostgreSQL stores, so a time Heron shows before it
/// is written (a <c>last_used</c> still buffered, a key just created) equals the time read back later,
/// on any instance and any provider.
/// </summary>
public sealed class MicrosecondClock : TimeProvider
{
    public static MicrosecondClock Instance { get; } = new();

    public override DateTimeOffset GetUtcNow()
    {
        var now = System.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}
