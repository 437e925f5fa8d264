using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Fleet.Web.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the server.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<FleetDbContext>
{
    public FleetDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<FleetDbContext>().UseSqlite(DataSetup.DefaultConnectionString).Options);
}
