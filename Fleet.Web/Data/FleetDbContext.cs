using Fleet.Domain.Hosts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Fleet.Web.Data;

public sealed class FleetDbContext(DbContextOptions<FleetDbContext> options) : DbContext(options)
{
    public DbSet<ManagedHost> Hosts => Set<ManagedHost>();
    public DbSet<InventorySectionRecord> InventorySections => Set<InventorySectionRecord>();
    public DbSet<InventoryRequestRecord> InventoryRequests => Set<InventoryRequestRecord>();
    public DbSet<UserRecord> Users => Set<UserRecord>();
    public DbSet<ApiTokenRecord> ApiTokens => Set<ApiTokenRecord>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no native date type, so ordering and comparing DateTimeOffset would be done on
        // text; stored as a sortable integer instead. Other providers keep their native type.
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ManagedHost>(host =>
        {
            host.ToTable("hosts");
            host.HasKey(h => h.Id);
            host.Property(h => h.Id).ValueGeneratedNever();
            host.Property(h => h.MachineId).HasMaxLength(200);
            host.Property(h => h.Hostname).HasMaxLength(255);
            host.HasIndex(h => h.MachineId).IsUnique();
            host.HasIndex(h => h.Hostname);
            host.HasIndex(h => new { h.Approval, h.Connectivity });
            host.Ignore(h => h.IsOnline);
        });

        modelBuilder.Entity<InventorySectionRecord>(section =>
        {
            section.ToTable("inventory_sections");
            section.HasKey(s => new { s.HostId, s.Section });
            section.HasOne<ManagedHost>().WithMany().HasForeignKey(s => s.HostId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<InventoryRequestRecord>(request =>
        {
            request.ToTable("inventory_requests");
            request.HasKey(r => r.Id);
            request.HasIndex(r => new { r.HostId, r.CompletedAt });
            request.HasIndex(r => r.BatchId);
            request.HasOne<ManagedHost>().WithMany().HasForeignKey(r => r.HostId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<UserRecord>(user =>
        {
            user.ToTable("users");
            user.HasKey(u => u.Id);
            user.Property(u => u.Username).HasMaxLength(100);
            user.HasIndex(u => u.Username).IsUnique();
        });

        modelBuilder.Entity<ApiTokenRecord>(token =>
        {
            token.ToTable("api_tokens");
            token.HasKey(t => t.Id);
            token.HasIndex(t => t.Hash).IsUnique();
        });
    }
}
