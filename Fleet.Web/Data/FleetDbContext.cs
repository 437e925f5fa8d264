using System.Text.Json;
using Fleet.Domain.Execution;
using Fleet.Domain.Hosts;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Fleet.Web.Data;

/// <summary>
/// Fleet's database on SQLite (the embedded default). <see cref="PostgresFleetDbContext"/> is the same model on PostgreSQL
/// with its own migrations; every service asks for <c>IDbContextFactory&lt;FleetDbContext&gt;</c> and gets the configured one.
/// </summary>
public class FleetDbContext : DbContext
{
    public FleetDbContext(DbContextOptions<FleetDbContext> options) : base(options)
    {
    }

    /// <summary>For a provider's subclass: its options are typed on the subclass, so EF Core keeps a model (and migrations) per provider.</summary>
    protected FleetDbContext(DbContextOptions options) : base(options)
    {
    }

    public DbSet<ManagedHost> Hosts => Set<ManagedHost>();
    public DbSet<InventorySectionRecord> InventorySections => Set<InventorySectionRecord>();
    public DbSet<InventoryRequestRecord> InventoryRequests => Set<InventoryRequestRecord>();
    public DbSet<FleetSampleRecord> FleetSamples => Set<FleetSampleRecord>();
    public DbSet<UserRecord> Users => Set<UserRecord>();
    public DbSet<ApiTokenRecord> ApiTokens => Set<ApiTokenRecord>();
    public DbSet<AuditRecord> Audit => Set<AuditRecord>();
    public DbSet<JobTemplate> JobTemplates => Set<JobTemplate>();
    public DbSet<Invocation> Invocations => Set<Invocation>();
    public DbSet<StageRun> StageRuns => Set<StageRun>();
    public DbSet<TargetRun> TargetRuns => Set<TargetRun>();
    public DbSet<Command> Commands => Set<Command>();
    public DbSet<OutputChunk> OutputChunks => Set<OutputChunk>();
    public DbSet<RecurringLogic> RecurringLogics => Set<RecurringLogic>();
    public DbSet<Fleet.Domain.Search.Bookmark> Bookmarks => Set<Fleet.Domain.Search.Bookmark>();
    public DbSet<ChildHost> ChildHosts => Set<ChildHost>();
    public DbSet<ReenrolmentRequest> ReenrolmentRequests => Set<ReenrolmentRequest>();
    public DbSet<EnrollmentTokenRecord> EnrollmentTokens => Set<EnrollmentTokenRecord>();
    public DbSet<Fleet.Domain.Orchestration.RebootOrchestration> RebootOrchestrations => Set<Fleet.Domain.Orchestration.RebootOrchestration>();
    public DbSet<Fleet.Domain.Operations.HeadlessOperation> HeadlessOperations => Set<Fleet.Domain.Operations.HeadlessOperation>();
    public DbSet<Fleet.Domain.Operations.OperationDevice> OperationDevices => Set<Fleet.Domain.Operations.OperationDevice>();
    public DbSet<Fleet.Domain.Operations.OperationRun> OperationRuns => Set<Fleet.Domain.Operations.OperationRun>();
    public DbSet<Fleet.Domain.Operations.NotificationDelivery> NotificationDeliveries => Set<Fleet.Domain.Operations.NotificationDelivery>();
    public DbSet<InstallationSecretRecord> InstallationSecrets => Set<InstallationSecretRecord>();
    public DbSet<Fleet.Domain.AgentMaintenance.AgentInvocation> AgentInvocations => Set<Fleet.Domain.AgentMaintenance.AgentInvocation>();
    public DbSet<Fleet.Domain.AgentMaintenance.RemoteMachine> RemoteMachines => Set<Fleet.Domain.AgentMaintenance.RemoteMachine>();
    public DbSet<Fleet.Domain.AgentMaintenance.InstallTicket> InstallTickets => Set<Fleet.Domain.AgentMaintenance.InstallTicket>();
    public DbSet<Fleet.Domain.AgentMaintenance.RemoteInstallerDesignation> RemoteInstaller => Set<Fleet.Domain.AgentMaintenance.RemoteInstallerDesignation>();

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
            // Few hosts carry an error: the fleet status counts them from this small index, not by reading every host's row.
            host.HasIndex(h => h.Approval).HasFilter("\"LastError\" IS NOT NULL").HasDatabaseName("IX_hosts_Approval_WithError");
            host.Ignore(h => h.IsOnline);
            host.Ignore(h => h.IsActive);
            host.Ignore(h => h.IsRevoked);
            host.Ignore(h => h.CanIssueFirstSecret);
        });

        modelBuilder.Entity<ReenrolmentRequest>(request =>
        {
            request.ToTable("reenrolment_requests");
            request.HasKey(r => r.Id);
            request.Property(r => r.Id).ValueGeneratedNever();
            request.HasIndex(r => new { r.HostId, r.Status });
            request.HasOne<ManagedHost>().WithMany().HasForeignKey(r => r.HostId).OnDelete(DeleteBehavior.Cascade);
            request.Ignore(r => r.IsOpen);
        });

        modelBuilder.Entity<EnrollmentTokenRecord>(token =>
        {
            token.ToTable("enrollment_tokens");
            token.HasKey(t => t.Id);
            token.HasIndex(t => t.CreatedAt);
        });

        modelBuilder.Entity<ChildHost>(child =>
        {
            child.ToTable("child_hosts");
            child.HasKey(c => c.Id);
            child.Property(c => c.Id).ValueGeneratedNever();
            child.Property(c => c.Name).HasMaxLength(255);
            child.Property(c => c.Type).HasMaxLength(50);
            child.Property(c => c.Status).HasMaxLength(50);
            child.HasIndex(c => new { c.ParentHostId, c.Type, c.Name }).IsUnique();
            child.HasOne<ManagedHost>().WithMany().HasForeignKey(c => c.ParentHostId).OnDelete(DeleteBehavior.Cascade);
            child.Ignore(c => c.IsRunning);
        });

        modelBuilder.Entity<Fleet.Domain.Orchestration.RebootOrchestration>(orchestration =>
        {
            orchestration.ToTable("reboot_orchestrations");
            orchestration.HasKey(o => o.Id);
            orchestration.Property(o => o.Id).ValueGeneratedNever();
            orchestration.HasIndex(o => new { o.ParentHostId, o.Status });
            orchestration.HasIndex(o => o.Status);
            orchestration.HasOne<ManagedHost>().WithMany().HasForeignKey(o => o.ParentHostId).OnDelete(DeleteBehavior.Cascade);
            orchestration.Ignore(o => o.IsFinal);
            orchestration.Ignore(o => o.ShutdownDeadline);
            orchestration.Ignore(o => o.ReconnectDeadline);
            orchestration.OwnsMany(o => o.Children, child =>
            {
                child.ToTable("reboot_orchestration_children");
                child.WithOwner().HasForeignKey("OrchestrationId");
                child.HasKey("OrchestrationId", nameof(Fleet.Domain.Orchestration.OrchestrationChild.ChildId));
                child.Property(c => c.ChildId).ValueGeneratedNever();
                child.Ignore(c => c.StopDone);
                child.Ignore(c => c.RestartDone);
            });
            orchestration.Navigation(o => o.Children).UsePropertyAccessMode(PropertyAccessMode.Field).HasField("_children");
        });

        modelBuilder.Entity<InventorySectionRecord>(section =>
        {
            section.ToTable("inventory_sections");
            section.HasKey(s => new { s.HostId, s.Section });
            section.HasOne<ManagedHost>().WithMany().HasForeignKey(s => s.HostId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<FleetSampleRecord>(sample =>
        {
            sample.ToTable("fleet_samples");
            sample.HasIndex(s => s.At);
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
            user.Property(u => u.SecurityStamp).HasMaxLength(64);
        });

        modelBuilder.Entity<AuditRecord>(audit =>
        {
            audit.ToTable("audit_records");
            audit.HasKey(a => a.Id);
            audit.Property(a => a.Actor).HasMaxLength(200);
            audit.Property(a => a.ActorKind).HasMaxLength(20);
            audit.Property(a => a.Source).HasMaxLength(20);
            audit.Property(a => a.Action).HasMaxLength(300);
            audit.Property(a => a.Target).HasMaxLength(1000);
            audit.Property(a => a.Address).HasMaxLength(100);
            audit.Property(a => a.Outcome).HasMaxLength(500);
            // The page and the API list newest first; retention deletes by age.
            audit.HasIndex(a => a.At);
        });

        modelBuilder.Entity<ApiTokenRecord>(token =>
        {
            token.ToTable("api_tokens");
            token.HasKey(t => t.Id);
            token.HasIndex(t => t.Hash).IsUnique();
        });

        modelBuilder.Entity<JobTemplate>(template =>
        {
            template.ToTable("job_templates");
            template.HasKey(t => t.Id);
            template.HasIndex(t => t.Name).IsUnique();
            template.Property(t => t.Inputs).HasConversion(Json<List<TemplateInput>>(), JsonComparer<List<TemplateInput>>());
        });

        modelBuilder.Entity<Invocation>(invocation =>
        {
            invocation.ToTable("invocations");
            invocation.HasKey(i => i.Id);
            invocation.HasIndex(i => i.CreatedAt);
            invocation.HasIndex(i => i.RecurringLogicId);
        });

        modelBuilder.Entity<StageRun>(stage =>
        {
            stage.ToTable("stage_runs");
            stage.HasKey(s => s.Id);
            stage.HasIndex(s => s.InvocationId);
        });

        modelBuilder.Entity<TargetRun>(run =>
        {
            run.ToTable("target_runs");
            run.HasKey(r => r.Id);
            run.Property(r => r.Id).ValueGeneratedNever();
            run.HasIndex(r => new { r.InvocationId, r.Status });
            run.HasIndex(r => new { r.StageRunId, r.Status });
            run.HasIndex(r => new { r.HostId, r.Status });
            // The live progress page and LiveHub read "runs of this invocation changed since T" several times a second.
            run.HasIndex(r => new { r.InvocationId, r.UpdatedAt });
            run.Ignore(r => r.IsFinal);
            run.Ignore(r => r.History);
        });

        modelBuilder.Entity<Command>(command =>
        {
            command.ToTable("commands");
            command.HasKey(c => c.Id);
            command.Property(c => c.Id).ValueGeneratedNever();
            command.HasIndex(c => new { c.HostId, c.Status });
            command.HasIndex(c => c.TargetRunId);
            command.Ignore(c => c.IsFinal);
        });

        modelBuilder.Entity<OutputChunk>(chunk =>
        {
            chunk.ToTable("output_chunks");
            chunk.HasKey(c => c.Id);
            chunk.HasIndex(c => new { c.CommandId, c.Sequence });
        });

        modelBuilder.Entity<Fleet.Domain.Search.Bookmark>(bookmark =>
        {
            bookmark.ToTable("bookmarks");
            bookmark.HasKey(b => b.Id);
            bookmark.HasIndex(b => b.Name).IsUnique();
        });

        modelBuilder.Entity<RecurringLogic>(logic =>
        {
            logic.ToTable("recurring_logics");
            logic.HasKey(l => l.Id);
            logic.Ignore(l => l.IsActive);
        });

        OperationsModel.Configure(modelBuilder);
        AgentMaintenanceModel.Configure(modelBuilder);
    }

    private static readonly JsonSerializerOptions JsonColumn = new(JsonSerializerDefaults.Web);

    /// <summary>A small list kept as a JSON text column: read and written whole with its row, portable across providers.</summary>
    private static ValueConverter<T, string> Json<T>() where T : class, new() =>
        new(value => JsonSerializer.Serialize(value, JsonColumn), text => JsonSerializer.Deserialize<T>(text, JsonColumn) ?? new T());

    /// <summary>Lists change in place (History.Add), so changes are detected by content, not by reference.</summary>
    private static ValueComparer<T> JsonComparer<T>() where T : class, new() =>
        new((a, b) => JsonSerializer.Serialize(a, JsonColumn) == JsonSerializer.Serialize(b, JsonColumn),
            v => JsonSerializer.Serialize(v, JsonColumn).GetHashCode(),
            v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, JsonColumn), JsonColumn) ?? new T());
}
