using Fleet.Web.Audit;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fleet.Web.Jobs;

/// <summary>Deletes audit records older than <c>Fleet:Audit:RetentionDays</c>. Safe to run twice: it only deletes by age.</summary>
public sealed class AuditRetentionJob(IDbContextFactory<FleetDbContext> dbFactory, IOptions<AuditOptions> options, TimeProvider clock, ILogger<AuditRetentionJob> logger)
{
    public const string RecurringId = "audit-retention";

    public async Task<int> RunAsync()
    {
        var days = Math.Max(1, options.Value.RetentionDays);
        var cutoff = clock.GetUtcNow().AddDays(-days);
        await using var db = await dbFactory.CreateDbContextAsync();
        var deleted = await db.Audit.Where(a => a.At < cutoff).ExecuteDeleteAsync();
        if (deleted > 0) logger.LogInformation("Pruned {Count} audit records older than {Days} days", deleted, days);
        return deleted;
    }
}
