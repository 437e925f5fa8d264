namespace Fleet.Web.Api.HostManagement;

// Wire shapes of seed 001's host operations (snake_case).

public sealed record HostCommandRequest(string? Command, int? Timeout);

public sealed record HostCommandResponse(Guid ExecutionId, string Status, string Stdout, string Stderr, int? ExitCode, double ExecutionTime);

public sealed record BroadcastRequest(string? Command, IReadOnlyList<string>? Hostnames, int? Timeout, bool? Parallel);

public sealed record BroadcastResult(string Hostname, string Status, int? ExitCode, string Stdout, double ExecutionTime);

public sealed record BroadcastResponse(Guid BatchId, int TotalHosts, IReadOnlyList<BroadcastResult> Results);

public sealed record PowerRequest(bool? Force, int? DelaySeconds, string? Message);

public sealed record PowerResponse(string Message, string ScheduledTime, Guid ExecutionId);
