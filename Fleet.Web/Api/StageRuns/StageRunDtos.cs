using Fleet.Domain.Execution;
using Fleet.Web.Engine;

namespace Fleet.Web.Api.StageRuns;

/// <summary>Seed 004's answer: <c>code</c> 0 and <c>message</c> "success" with the content, or the status code and why.</summary>
public sealed record Envelope<T>(int Code, string Message, T Content);

/// <summary>A refusal in seed 004's envelope: <c>content</c> is null.</summary>
public sealed record ErrorEnvelope(int Code, string Message, object? Content = null);

public sealed record TargetRunRequest(string? TargetId, string? DeviceName, string? DeviceAlias);

public sealed record TargetRunUpdate(string? Status, string? DeviceName);

public sealed record CommandCreate(string? Script, string? Command, int? Timeout);

public sealed record CommandUpdate(string? RequestStatus);

/// <param name="State">waiting | running | completed | halted — where the wave stands in a rollout.</param>
public sealed record StageRunView(Guid Id, long InvocationId, int Index, string State, int Size, DateTimeOffset CreatedAt, DateTimeOffset? StartsAt,
    DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, string? HaltReason, int Total, IReadOnlyDictionary<string, int> Counts)
{
    public static StageRunView From(StageRunTally tally)
    {
        var s = tally.Stage;
        return new StageRunView(s.Id, s.InvocationId, s.Index, s.State.ToString().ToLowerInvariant(), s.Size, s.CreatedAt, s.StartsAt,
            s.StartedAt, s.EndedAt, s.HaltReason, tally.Total, tally.Counts.ToDictionary(c => c.Key.Wire(), c => c.Value));
    }
}

public sealed record TargetRunView(Guid Id, Guid StageRunId, Guid StageRunOperationId, long InvocationId, Guid TargetId, string DeviceName, string? DeviceAlias,
    string Status, string? Reason, Guid? CommandId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt,
    IReadOnlyList<StatusChange> History)
{
    public static TargetRunView From(TargetRun r) => new(r.Id, r.StageRunId, r.StageRunId, r.InvocationId, r.HostId, r.DeviceName, r.DeviceAlias,
        r.Status.Wire(), r.Reason, r.CommandId, r.CreatedAt, r.UpdatedAt, r.StartedAt, r.EndedAt, r.History);
}

public sealed record TargetRunList(int Count, IReadOnlyList<TargetRunView> Results);

public sealed record CommandViewModel(Guid Id, Guid TargetRunId, Guid TargetId, string Status, string? RequestStatus, int? ExitCode, string? Error,
    int TimeoutSeconds, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
{
    public static CommandViewModel From(Command c) => new(c.Id, c.TargetRunId, c.HostId, c.Status.Wire(),
        c.Status == CommandStatus.Cancelled ? "cancelled" : null, c.ExitCode, c.Error, c.TimeoutSeconds, c.CreatedAt, c.StartedAt, c.FinishedAt);
}
