using Microsoft.Extensions.Options;

namespace Heron.Web.ApiKeys;

/// <summary>Writes buffered usage every <see cref="ApiKeyOptions.UsageFlushInterval"/> and at shutdown; prunes old buckets hourly.</summary>
public sealed class UsageFlusher(UsageRecorder recorder, IOptions<ApiKeyOptions> options, TimeProvider clock, ILogger<UsageFlusher> logger)
    : BackgroundService
{
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.UsageFlushInterval, clock);
        long? lastPrune = null;
        try
        {
            do
            {
                try
                {
                    if (lastPrune is null || clock.GetElapsedTime(lastPrune.Value) >= PruneEvery)
                    {
                        lastPrune = clock.GetTimestamp();
                        await recorder.PruneAsync(options.Value.UsageRetention, stoppingToken);
                    }
                    await recorder.FlushAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Usage flush or prune failed; the next tick retries");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await recorder.FlushAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Usage counts since the last flush could not be written at shutdown");
        }
    }
}
