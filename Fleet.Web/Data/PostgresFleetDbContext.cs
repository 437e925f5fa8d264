using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Fleet.Web.Data;

/// <summary>
/// Fleet's model on PostgreSQL (scale-out mode). Its migrations live in <c>Data/Migrations/Postgres</c>, apart from SQLite's.
/// </summary>
public sealed class PostgresFleetDbContext(DbContextOptions<PostgresFleetDbContext> options) : FleetDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // timestamptz stores an instant: Npgsql refuses a DateTimeOffset with a non-zero offset rather than guess.
        // Times from agents and API clients may carry their own offset, so every one is written as the same instant in UTC.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<ToUtcConverter>();
    }

    private sealed class ToUtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(value => value.ToUniversalTime(), value => value);
}

/// <summary>Lets <c>dotnet ef migrations add … --context PostgresFleetDbContext</c> build the PostgreSQL model without a server.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresFleetDbContext>
{
    public PostgresFleetDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresFleetDbContext>().UseNpgsql("Host=localhost;Database=fleet").Options);
}
