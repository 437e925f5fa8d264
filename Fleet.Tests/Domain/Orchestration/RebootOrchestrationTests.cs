using Fleet.Domain;
using Fleet.Domain.Orchestration;

namespace Fleet.Tests.Domain.Orchestration;

public sealed class RebootOrchestrationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 15, 10, 30, 0, TimeSpan.Zero);
    private static readonly Guid Web = Guid.NewGuid();
    private static readonly Guid Db = Guid.NewGuid();

    private static RebootOrchestration New() => new(Guid.NewGuid(), Guid.NewGuid(),
        [new OrchestrationChild(Web, "web", "lxd", "running"), new OrchestrationChild(Db, "db", "docker", "running")], 120, 600, "admin", T0);

    private static RebootOrchestration ThroughShutdown()
    {
        var o = New();
        o.ChildStopRequested(Web, 1);
        o.ChildStopRequested(Db, 2);
        o.ChildStopEnded(Web, true, null);
        o.ChildStopEnded(Db, true, null);
        o.CompleteShutdown(T0.AddSeconds(5));
        return o;
    }

    /// <summary>Rebooted, the agent back, both children asked to start.</summary>
    private static RebootOrchestration Restarting()
    {
        var o = ThroughShutdown();
        o.RebootIssued(3, T0.AddSeconds(6));
        o.AgentReconnected(T0.AddSeconds(60));
        o.ChildStartRequested(Web, 4);
        o.ChildStartRequested(Db, 5);
        return o;
    }

    [Fact]
    public void New_WithoutRunningChildren_IsRefused() =>
        Assert.Throws<DomainException>(() => new RebootOrchestration(Guid.NewGuid(), Guid.NewGuid(), [], 120, 600, "admin", T0));

    [Fact]
    public void FullSequence_TimeStampsEveryPhaseAndCompletes()
    {
        var o = ThroughShutdown();
        Assert.Equal(OrchestrationStatus.Rebooting, o.Status);
        o.RebootIssued(3, T0.AddSeconds(6));
        Assert.Equal(OrchestrationStatus.WaitingForAgent, o.Status);
        o.AgentReconnected(T0.AddSeconds(60));
        o.ChildStartRequested(Web, 4);
        o.ChildStartRequested(Db, 5);
        o.ChildStartEnded(Web, true, null);
        o.ChildStartEnded(Db, true, null);
        o.Complete(T0.AddSeconds(65));
        Assert.Equal(OrchestrationStatus.Completed, o.Status);
        Assert.Equal([T0, T0.AddSeconds(5), T0.AddSeconds(6), T0.AddSeconds(60), T0.AddSeconds(65)],
            [o.InitiatedAt, o.ShutdownCompletedAt!.Value, o.RebootIssuedAt!.Value, o.AgentReconnectedAt!.Value, o.RestartCompletedAt!.Value]);
        Assert.All(o.Children, c => Assert.Equal(OrchestrationChild.Running, c.RestartStatus));
    }

    [Fact]
    public void CompleteShutdown_WhileChildrenStopBeforeTheTimeout_IsRefused()
    {
        var o = New();
        o.ChildStopRequested(Web, 1);
        o.ChildStopRequested(Db, 2);
        o.ChildStopEnded(Web, true, null);
        Assert.Throws<DomainException>(() => o.CompleteShutdown(T0.AddSeconds(10)));
    }

    [Fact]
    public void CompleteShutdown_AfterTheTimeout_GoesAheadAndMarksTheSlowChild()
    {
        var o = New();
        o.ChildStopRequested(Web, 1);
        o.ChildStopRequested(Db, 2);
        o.ChildStopEnded(Web, true, null);
        o.CompleteShutdown(T0.AddSeconds(121));
        Assert.Equal(OrchestrationStatus.Rebooting, o.Status);
        var db = o.Children.Single(c => c.ChildId == Db);
        Assert.Equal(OrchestrationChild.StopTimedOut, db.StopStatus);
        Assert.Contains("120 s", db.Error);
    }

    [Fact]
    public void PhasesOutOfOrder_AreRefused()
    {
        var o = New();
        Assert.Throws<DomainException>(() => o.RebootIssued(3, T0));
        Assert.Throws<DomainException>(() => o.AgentReconnected(T0));
        Assert.Throws<DomainException>(() => o.ChildStartRequested(Web, 4));
        Assert.Throws<DomainException>(() => o.Complete(T0));
        Assert.Throws<DomainException>(() => o.CompleteShutdown(T0)); // nobody was asked to stop yet
        o.ChildStopRequested(Web, 1);
        Assert.Throws<DomainException>(() => o.ChildStopRequested(Web, 9));
        Assert.Throws<DomainException>(() => o.ChildStopEnded(Guid.NewGuid(), true, null));
    }

    [Fact]
    public void AChildThatFailsToStart_StillCompletes_WithThatChildsErrorAndASummaryNamingIt()
    {
        var o = Restarting();
        o.ChildStartEnded(Web, true, null);
        Assert.Throws<DomainException>(() => o.Complete(T0.AddSeconds(61)));
        o.ChildStartEnded(Db, false, "image missing");
        o.Complete(T0.AddSeconds(62));
        Assert.Equal(OrchestrationStatus.Completed, o.Status);
        var db = o.Children.Single(c => c.ChildId == Db);
        Assert.Equal((OrchestrationChild.Failed, "image missing"), (db.RestartStatus, db.Error));
        Assert.Equal("1 of 2 child hosts failed to start: db.", o.ErrorMessage);
    }

    [Fact]
    public void EveryChildStartsAgain_CompletesWithoutAnErrorMessage()
    {
        var o = Restarting();
        o.ChildStartEnded(Web, true, null);
        o.ChildStartEnded(Db, true, null);
        o.Complete(T0.AddSeconds(62));
        Assert.Equal(OrchestrationStatus.Completed, o.Status);
        Assert.Null(o.ErrorMessage);
    }

    [Fact]
    public void RebootFailed_AndAChildThatDidNotStart_KeepsTheRebootErrorAndNamesTheChild()
    {
        var o = ThroughShutdown();
        o.RebootIssued(3, T0.AddSeconds(6));
        o.RebootFailed("The reboot command failed: refused.", T0.AddSeconds(70));
        o.ChildStartRequested(Web, 4);
        o.ChildStartRequested(Db, 5);
        o.ChildStartEnded(Web, false, "no image");
        o.ChildStartEnded(Db, true, null);
        o.Complete(T0.AddSeconds(80));
        Assert.Equal(OrchestrationStatus.Failed, o.Status);
        Assert.Equal("The reboot command failed: refused. 1 of 2 child hosts failed to start: web.", o.ErrorMessage);
    }

    [Fact]
    public void Unfinished_HoldsUntilTheOrchestrationEnds_AndAgreesWithIsFinal()
    {
        var unfinished = RebootOrchestration.Unfinished.Compile();
        var o = ThroughShutdown();
        Assert.True(unfinished(o));
        Assert.False(o.IsFinal);
        o.RebootIssued(3, T0.AddSeconds(6));
        Assert.True(unfinished(o));
        o.Fail("agent gone", T0.AddSeconds(700));
        Assert.False(unfinished(o));
        Assert.True(o.IsFinal);
    }

    [Fact]
    public void Fail_RecordsTheMessage_AndAFinishedOrchestrationCannotMoveAgain()
    {
        var o = ThroughShutdown();
        o.RebootIssued(3, T0.AddSeconds(6));
        o.Fail("agent gone", T0.AddSeconds(700));
        Assert.Equal((OrchestrationStatus.Failed, "agent gone"), (o.Status, o.ErrorMessage));
        Assert.Throws<DomainException>(() => o.Fail("again", T0.AddSeconds(701)));
        Assert.Throws<DomainException>(() => o.AgentReconnected(T0.AddSeconds(702)));
    }

    [Theory]
    [InlineData(LicenseTier.Community, false)]
    [InlineData(LicenseTier.Professional, true)]
    [InlineData(LicenseTier.Enterprise, true)]
    public void Licence_ProfessionalAndAbove_AllowOrchestratedReboot(LicenseTier tier, bool allowed) =>
        Assert.Equal(allowed, tier.AllowsOrchestratedReboot());

    [Fact]
    public void RebootFailed_StartsTheChildrenAgain_ThenEndsFailedWithTheError()
    {
        var o = ThroughShutdown();
        o.RebootIssued(3, T0.AddSeconds(6));
        Assert.Throws<DomainException>(() => o.RebootFailed(" ", T0.AddSeconds(70)));

        o.RebootFailed("The reboot command failed: not picked up", T0.AddSeconds(70));

        Assert.Equal(OrchestrationStatus.Restarting, o.Status);
        Assert.Null(o.AgentReconnectedAt);
        o.ChildStartRequested(Web, 4);
        o.ChildStartRequested(Db, 5);
        o.ChildStartEnded(Web, true, null);
        o.ChildStartEnded(Db, true, null);
        o.Complete(T0.AddSeconds(80));
        Assert.Equal(OrchestrationStatus.Failed, o.Status);
        Assert.Equal(T0.AddSeconds(80), o.FailedAt);
        Assert.StartsWith("The reboot command failed", o.ErrorMessage);
        Assert.All(o.Children, c => Assert.True(c.RestartDone));
    }

    [Fact]
    public void RebootIssued_KeepsTheBootIdItWasIssuedUnder()
    {
        var o = ThroughShutdown();
        o.RebootIssued(3, T0.AddSeconds(6), "boot-a");
        Assert.Equal("boot-a", o.BootIdBeforeReboot);
    }

    [Fact]
    public void RebootFailed_OnlyWhileWaitingForTheAgent()
    {
        var o = ThroughShutdown();
        Assert.Throws<DomainException>(() => o.RebootFailed("x", T0));
    }
}
