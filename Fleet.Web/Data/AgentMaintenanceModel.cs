using Fleet.Domain.AgentMaintenance;
using Fleet.Domain.Hosts;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Data;

/// <summary>Tables of agent maintenance (seed 003): the tasks, the machines registered for remote install, install tickets and the installer.</summary>
internal static class AgentMaintenanceModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<AgentInvocation>(invocation =>
        {
            invocation.ToTable("agent_invocations");
            invocation.HasKey(i => i.Id);
            invocation.Property(i => i.Id).HasMaxLength(64);
            invocation.Property(i => i.InstanceId).HasMaxLength(64);
            invocation.Property(i => i.InstanceName).HasMaxLength(255);
            invocation.Property(i => i.Target).HasMaxLength(32);
            invocation.Property(i => i.VersionBefore).HasMaxLength(64);
            invocation.Property(i => i.TargetVersion).HasMaxLength(64);
            invocation.Property(i => i.VersionAfter).HasMaxLength(64);
            invocation.Property(i => i.ErrorCode).HasMaxLength(32);
            invocation.Property(i => i.ErrorMessage).HasMaxLength(InstanceError.MaxMessageLength);
            invocation.Property(i => i.RetryOf).HasMaxLength(64);
            invocation.Property(i => i.RollbackOf).HasMaxLength(64);
            invocation.Property(i => i.RolledBackBy).HasMaxLength(64);
            invocation.Property(i => i.Origin).HasMaxLength(32);
            invocation.Property(i => i.CreatedBy).HasMaxLength(200);
            invocation.Ignore(i => i.IsFinal);
            invocation.Ignore(i => i.CanBeRolledBack);
            invocation.Ignore(i => i.CanBeRetried);
            invocation.HasIndex(i => i.CreatedAt);
            invocation.HasIndex(i => i.InstanceId);
            invocation.HasIndex(i => i.EngineInvocationId);
            invocation.HasIndex(i => i.Status);
            invocation.HasIndex(i => i.EnrolledHostId);
        });

        modelBuilder.Entity<RemoteMachine>(machine =>
        {
            machine.ToTable("remote_machines");
            machine.HasKey(m => m.Id);
            machine.Property(m => m.Id).ValueGeneratedNever();
            machine.Property(m => m.Name).HasMaxLength(128);
            machine.Property(m => m.Address).HasMaxLength(64);
            machine.Property(m => m.UserName).HasMaxLength(64);
        });

        modelBuilder.Entity<InstallTicket>(ticket =>
        {
            ticket.ToTable("install_tickets");
            ticket.HasKey(t => t.Id);
            ticket.Property(t => t.Id).ValueGeneratedNever();
            ticket.Property(t => t.TokenHash).HasMaxLength(64);
            ticket.Property(t => t.AgentInvocationId).HasMaxLength(64);
            ticket.HasIndex(t => t.TokenHash).IsUnique();
            ticket.HasIndex(t => t.AgentInvocationId);
        });

        modelBuilder.Entity<RemoteInstallerDesignation>(installer =>
        {
            installer.ToTable("remote_installer");
            installer.HasKey(i => i.Id);
            installer.Property(i => i.Id).ValueGeneratedNever();
            installer.Property(i => i.DesignatedBy).HasMaxLength(200);
            installer.HasOne<ManagedHost>().WithMany().HasForeignKey(i => i.HostId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
