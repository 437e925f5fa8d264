using Fleet.Domain.AgentMaintenance;
using Fleet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Engine.AgentMaintenance;

/// <summary>The start-up reconcile: a task whose run ended while nobody followed it is settled when the server starts.</summary>
public sealed class AgentMaintenanceReconcileTests
{
    [Fact]
    public async Task AfterARestart_ATaskWhoseRunFailed_IsSettledFailedWithTheRunsError()
    {
        var directory = Path.Combine(Path.GetTempPath(), "fleet-tests", "am-reconcile-" + Guid.NewGuid().ToString("N"));
        var taskId = AgentInvocation.NewId();
        try
        {
            using (var first = new FleetServer(directory: directory))
            {
                var agent = await first.StartAcceptedAgentAsync("reconcile-01");
                var jobId = await first.RunAsync("echo going; exit 3", "name = reconcile-01");
                await first.WaitForEndAsync(jobId);
                await agent.StopAsync();
                await using var db = first.Db();
                var run = await db.TargetRuns.AsNoTracking().SingleAsync(r => r.InvocationId == jobId);
                // Recorded as if the server had stopped between creating the task and hearing how its run ended.
                var task = new AgentInvocation(taskId, AgentInvocationType.Update, run.HostId.ToString(), InstanceKind.Host, "reconcile-01", run.HostId,
                    "tester", DateTimeOffset.UtcNow, versionBefore: "0.1.0", targetVersion: "0.2.0");
                task.Attach(jobId, run.Id, DateTimeOffset.UtcNow);
                db.AgentInvocations.Add(task);
                await db.SaveChangesAsync();
            }

            using var second = new FleetServer(directory: directory);
            var settled = await Eventually.Until(async () =>
            {
                await using var db = second.Db();
                return await db.AgentInvocations.AsNoTracking().SingleAsync(a => a.Id == taskId);
            }, task => task.IsFinal, "the reconcile to settle the task");

            Assert.Equal(AgentInvocationStatus.Failed, settled.Status);
            Assert.Equal("invocationmgr.3001", settled.ErrorCode);
            Assert.Equal("exit code 3", settled.ErrorMessage);
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
