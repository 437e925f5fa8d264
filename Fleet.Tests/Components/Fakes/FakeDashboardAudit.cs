using Fleet.Web.Audit;

namespace Fleet.Tests.Components.Fakes;

public sealed class FakeDashboardAudit : IDashboardAudit
{
    public List<(string Action, string Target, string Outcome)> Entries { get; } = [];

    public Task RecordAsync(string action, string target, string outcome)
    {
        Entries.Add((action, target, outcome));
        return Task.CompletedTask;
    }
}
