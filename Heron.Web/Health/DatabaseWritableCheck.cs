using Heron.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Heron.Web.Health;

/// <summary>
/// Whether the database would accept a write now, without writing: an update that matches no row, inside a
/// transaction that is rolled back. Every engine treats it as a write, so it fails where a real write would:
/// SQLite takes its write lock (refused while the file is read-only or another process holds the lock past
/// the timeout), SQL Server and PostgreSQL refuse it on a read-only database or standby. Connecting and
/// reading alone (the database check) say nothing about that.
/// </summary>
public sealed class DatabaseWritableCheck(HeronDbContext db) : IHealthCheck
{
    /// <summary>A probe waits this long for a write lock at most: a load balancer's probe must get an answer.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            db.Database.SetCommandTimeout(Timeout);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.ApiKeyEvents.Where(e => e.Id < 0)
                .ExecuteUpdateAsync(set => set.SetProperty(e => e.Kind, e => e.Kind), cancellationToken);
            await transaction.RollbackAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The database cannot be written.", ex);
        }
    }
}
