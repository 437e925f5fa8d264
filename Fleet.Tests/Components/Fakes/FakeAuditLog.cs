using Fleet.Web.Audit;

namespace Fleet.Tests.Components.Fakes;

/// <summary>Serves <see cref="Items"/> filtered by action text and remembers each search the page asked for.</summary>
public sealed class FakeAuditLog : IAuditLog
{
    public List<AuditItem> Items { get; } = [];
    public List<(string? Search, int Limit, int Offset)> Searches { get; } = [];

    public Task RecordAsync(AuditEntry entry) => Task.CompletedTask;

    public Task<AuditPage> SearchAsync(string? search, int limit, int offset, CancellationToken ct = default)
    {
        Searches.Add((search, limit, offset));
        var matching = Items.Where(i => string.IsNullOrEmpty(search) || i.Action.Contains(search)).ToList();
        return Task.FromResult(new AuditPage(matching.Skip(offset).Take(limit).ToList(), matching.Count));
    }
}
