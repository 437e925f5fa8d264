using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Data;

/// <summary>
/// Each provider's migrations build exactly the model the code declares: a model change (an index, a column) without its
/// migration fails here, not on a user's server that would start without it.
/// </summary>
public sealed class MigrationsTests
{
    [Fact]
    public void SqliteMigrations_MatchTheModel()
    {
        using var db = new DesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "The SQLite model changed without a migration (dotnet ef migrations add … --context FleetDbContext).");
    }

    [Fact]
    public void PostgresMigrations_MatchTheModel()
    {
        using var db = new PostgresDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "The PostgreSQL model changed without a migration (… --context PostgresFleetDbContext).");
    }
}
