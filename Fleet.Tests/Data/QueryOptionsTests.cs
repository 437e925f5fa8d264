using Fleet.Domain.Execution;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Data;

/// <summary>The query options the server configures (<see cref="DataSetup.IdLists"/>), on SQLite; PostgreSQL in <see cref="PostgresDatabaseTests"/>.</summary>
public sealed class QueryOptionsTests : IDisposable
{
    private readonly FleetServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public Task IdList_LongerThanAStatementTakesParameters_IsQueriedInOnePiece() => LongIdListAsync(_server.Db);

    /// <summary>70,000 ids (more than SQLite's 32,766 and PostgreSQL's 65,535 parameters) in one <c>Contains</c>.</summary>
    internal static async Task LongIdListAsync(Func<FleetDbContext> newContext)
    {
        var at = new DateTimeOffset(2026, 11, 30, 4, 0, 0, TimeSpan.Zero);
        var stored = Enumerable.Range(0, 3).Select(_ => new Command(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), CommandKind.Script, "true", null, 60, at)).ToList();
        await using (var db = newContext())
        {
            db.Commands.AddRange(stored);
            await db.SaveChangesAsync();
        }
        var ids = Enumerable.Range(0, 70_000).Select(_ => Guid.NewGuid()).Concat(stored.Select(c => c.Id)).ToList();

        await using var read = newContext();
        var found = await read.Commands.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => c.Id).ToListAsync();

        Assert.Equal(stored.Select(c => c.Id).Order(), found.Order());
    }
}
