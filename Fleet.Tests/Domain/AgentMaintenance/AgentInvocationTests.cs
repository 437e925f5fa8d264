using Fleet.Domain;
using Fleet.Domain.AgentMaintenance;

namespace Fleet.Tests.Domain.AgentMaintenance;

public sealed class AgentInvocationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static AgentInvocation Update(string? versionBefore = "1.0.0") =>
        new(AgentInvocation.NewId(), AgentInvocationType.Update, Guid.NewGuid().ToString(), InstanceKind.Host, "web-1", Guid.NewGuid(), "ops", T0,
            versionBefore: versionBefore, targetVersion: "2.0.0");

    private static AgentInvocation Install() =>
        new(AgentInvocation.NewId(), AgentInvocationType.Install, Guid.NewGuid().ToString(), InstanceKind.Child, "box-1", Guid.NewGuid(), "ops", T0, targetVersion: "2.0.0");

    [Fact]
    public void NewId_MatchesTheDocumentsIdPattern()
    {
        Assert.Matches("^[a-zA-Z0-9-]{1,64}$", AgentInvocation.NewId());
        Assert.Equal(AgentInvocationStatus.Waiting, Update().Status);
    }

    [Fact]
    public void Update_RunsAndSucceeds_WithTheTargetVersionAfter()
    {
        var invocation = Update();
        invocation.Start(T0.AddSeconds(1));
        var succeeded = invocation.RecordRunSucceeded(T0.AddSeconds(5), null);

        Assert.True(succeeded);
        Assert.Equal((AgentInvocationStatus.Succeeded, "2.0.0"), (invocation.Status, invocation.VersionAfter));
        Assert.Equal((T0.AddSeconds(1), T0.AddSeconds(5)), (invocation.StartedAt!.Value, invocation.EndedAt!.Value));
        Assert.Throws<DomainException>(() => invocation.Fail(T0.AddSeconds(6), InstanceErrors.CommandFailed("late")));
        Assert.Throws<DomainException>(() => invocation.Start(T0.AddSeconds(6)));
    }

    [Fact]
    public void Fail_KeepsTheErrorWithin128Characters()
    {
        var invocation = Update();
        invocation.Fail(T0, InstanceErrors.CommandFailed(new string('x', 500)));

        Assert.Equal(AgentInvocationStatus.Failed, invocation.Status);
        Assert.Equal("invocationmgr.3001", invocation.ErrorCode);
        Assert.Equal(128, invocation.ErrorMessage!.Length);
        Assert.True(invocation.CanBeRetried);
    }

    [Fact]
    public void Install_SucceedsOnlyOnceItsNewAgentIsConnected()
    {
        var invocation = Install();
        Assert.False(invocation.RecordRunSucceeded(T0, null, newAgentConnected: false));
        Assert.Equal(AgentInvocationStatus.Running, invocation.Status);
        Assert.Throws<DomainException>(() => invocation.CompleteInstall(T0, "2.0.0"));

        var host = Guid.NewGuid();
        invocation.RecordEnrolment(host, T0.AddSeconds(2));
        invocation.CompleteInstall(T0.AddSeconds(3), "2.0.1");

        Assert.Equal((AgentInvocationStatus.Succeeded, host, "2.0.1"), (invocation.Status, invocation.EnrolledHostId!.Value, invocation.VersionAfter));
        Assert.Throws<DomainException>(() => invocation.RecordEnrolment(Guid.NewGuid(), T0.AddSeconds(4)));
    }

    [Fact]
    public void Rollback_OfASucceededUpdate_MarksItRollbacked_ButNeverAnInstallOrAWaitingOne()
    {
        var update = Update();
        update.RecordRunSucceeded(T0, null);
        Assert.True(update.CanBeRolledBack);
        update.MarkRolledBack("rb-1", T0.AddMinutes(1));
        Assert.Equal((AgentInvocationStatus.Rollbacked, "rb-1"), (update.Status, update.RolledBackBy));

        Assert.Throws<DomainException>(() => Install().MarkRolledBack("rb-2", T0));
        Assert.Throws<DomainException>(() => Update().MarkRolledBack("rb-3", T0));
        Assert.False(Update(versionBefore: null).CanBeRolledBack);
    }

    [Fact]
    public void Attach_HappensOnce()
    {
        var invocation = Update();
        invocation.Attach(7, Guid.NewGuid(), T0);

        Assert.Equal(7, invocation.EngineInvocationId);
        Assert.Throws<DomainException>(() => invocation.Attach(8, Guid.NewGuid(), T0));
    }

    [Fact]
    public void Constructor_RefusesTypesThatAreNotTasks()
    {
        Assert.Throws<DomainException>(() => new AgentInvocation("a", AgentInvocationType.SetRemoteInstallHost, "i", InstanceKind.Host, "h", Guid.NewGuid(), "ops", T0));
        Assert.Throws<DomainException>(() => new AgentInvocation("a", AgentInvocationType.Rollback, "i", InstanceKind.Host, "h", Guid.NewGuid(), "ops", T0));
        Assert.Throws<DomainException>(() => new AgentInvocation("not/valid", AgentInvocationType.Update, "i", InstanceKind.Host, "h", Guid.NewGuid(), "ops", T0));
    }

    [Fact]
    public void Ticket_IsSpentOnce_AndExpires()
    {
        var ticket = new InstallTicket(Guid.NewGuid(), "hash", "ai-1", T0);
        ticket.Redeem(Guid.NewGuid(), T0.AddHours(1));

        Assert.False(ticket.IsUsable(T0.AddHours(1)));
        Assert.Throws<DomainException>(() => ticket.Redeem(Guid.NewGuid(), T0.AddHours(2)));
        var expired = new InstallTicket(Guid.NewGuid(), "hash2", "ai-2", T0);
        Assert.Throws<DomainException>(() => expired.Redeem(Guid.NewGuid(), T0 + InstallTicket.Lifetime));
    }

    [Fact]
    public void RemoteMachine_ErasesItsCredential()
    {
        var machine = new RemoteMachine(Guid.NewGuid(), null, "10.0.0.9", 22, null, "dp1:sealed", false, Guid.NewGuid(), T0);
        machine.EraseCredential(T0.AddMinutes(1));

        Assert.Null(machine.SealedCredential);
        Assert.Equal(("10.0.0.9", "root"), (machine.Name, machine.UserName));
    }
}
