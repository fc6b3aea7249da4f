using Microsoft.Extensions.Options;

namespace Heron.Web.RateLimiting;

/// <summary>Reconciles this instance's counts with Redis every <c>RateLimiting:ReconcileInterval</c> (50 ms).</summary>
public sealed class RateLimitReconciler(SharedWindowCounter counter, IOptions<RateLimitOptions> options, TimeProvider clock,
    ILogger<RateLimitReconciler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReconcileInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await counter.ReconcileAsync();
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(ex, "Could not reconcile rate-limit counts with Redis; counting goes on locally");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
