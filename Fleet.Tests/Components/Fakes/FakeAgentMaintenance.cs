using Fleet.Domain.AgentMaintenance;
using Fleet.Web.Engine.AgentMaintenance;

namespace Fleet.Tests.Components.Fakes;

/// <summary>Agent tasks a test sets directly; batch creates are recorded and answered by <see cref="Answer"/>.</summary>
public sealed class FakeAgentMaintenance : IAgentMaintenance
{
    public List<AgentInvocationView> Invocations { get; } = [];
    public List<(AgentInvocationRequest Request, MaintenanceCaller Caller)> Requests { get; } = [];
    public List<AgentInvocationFilter> Filters { get; } = [];
    public AgentVersionSummary Summary { get; set; } = new([], null, 0);
    public RemoteInstaller? Installer { get; set; }

    /// <summary>By default every instance (or invocation id, or remote machine) is accepted with a new invocation id.</summary>
    public Func<AgentInvocationRequest, IReadOnlyList<BatchCreateResult>> Answer { get; set; } = request =>
        request.Type switch
        {
            AgentInvocationType.RemoteInstall => request.RemoteInstallMeta.Select(m => new BatchCreateResult(m.RemoteIp ?? "", Guid.NewGuid().ToString(), true, null, null)).ToList(),
            AgentInvocationType.Rollback or AgentInvocationType.Retry => request.InvocationIds.Select(id => new BatchCreateResult(id, Guid.NewGuid().ToString(), true, null, null)).ToList(),
            _ => request.InstanceIds.Select(id => new BatchCreateResult(id, Guid.NewGuid().ToString(), true, null, null)).ToList(),
        };

    public Task<IReadOnlyList<BatchCreateResult>> BatchCreateAsync(AgentInvocationRequest request, MaintenanceCaller caller, CancellationToken ct = default)
    {
        lock (Requests) Requests.Add((request, caller));
        return Task.FromResult(Answer(request));
    }

    public Task<AgentInvocationPage> ListAsync(AgentInvocationFilter filter, CancellationToken ct = default)
    {
        lock (Filters) Filters.Add(filter);
        var matching = Invocations
            .Where(i => filter.InvocationType is null || i.Type == filter.InvocationType)
            .Where(i => filter.Status is null || i.Status == filter.Status)
            .OrderByDescending(i => i.CreatedAt)
            .ToList();
        return Task.FromResult(new AgentInvocationPage(matching.Skip(filter.Offset).Take(filter.Limit).ToList(), matching.Count));
    }

    public Task<AgentInvocationView?> GetAsync(string invocationId, CancellationToken ct = default) =>
        Task.FromResult(Invocations.FirstOrDefault(i => i.InvocationId == invocationId));

    public Task<RemoteInstaller?> CurrentInstallerAsync(CancellationToken ct = default) => Task.FromResult(Installer);

    public Task<AgentVersionSummary> VersionSummaryAsync(CancellationToken ct = default) => Task.FromResult(Summary);

    public static AgentInvocationView AgentTask(string id, AgentInvocationType type, AgentInvocationStatus status, string instanceName,
        string? before = "1.0.0", string? after = null, string? target = "1.1.0", string? error = null, long? job = 7, Guid? enrolledHostId = null,
        string instanceType = "host", DateTimeOffset? createdAt = null) =>
        new(id, Guid.NewGuid().ToString(), instanceName, instanceType, type, "telescope", status, before, target, after,
            createdAt ?? DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow, null, null, null, error, null, null, job, null, enrolledHostId, "alice");
}
