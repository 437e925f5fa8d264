using Fleet.Tests.Infrastructure;
using Fleet.Web.Data;
using Fleet.Web.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Tests.Jobs;

public sealed class AuditRetentionJobTests
{
    [Fact]
    public async Task Run_DeletesRecordsOlderThanTheRetention_KeepsNewerOnes_AndIsSafeTwice()
    {
        using var server = new FleetServer(new Dictionary<string, string?> { ["Fleet:Audit:RetentionDays"] = "10" });
        var now = DateTimeOffset.UtcNow;
        await using (var db = server.Db())
        {
            db.Audit.AddRange(
                new AuditRecord { At = now.AddDays(-11), Actor = "old", Action = "a", Source = "api", ActorKind = "user" },
                new AuditRecord { At = now.AddDays(-9), Actor = "recent", Action = "a", Source = "api", ActorKind = "user" });
            await db.SaveChangesAsync();
        }
        using var scope = server.Services.CreateScope();
        var job = scope.ServiceProvider.GetRequiredService<AuditRetentionJob>();

        Assert.Equal(1, await job.RunAsync());
        Assert.Equal(0, await job.RunAsync());

        await using var check = server.Db();
        Assert.Equal(["recent"], await check.Audit.Select(a => a.Actor).ToListAsync());
    }
}
