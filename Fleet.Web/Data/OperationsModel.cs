using Fleet.Domain.Execution;
using Fleet.Domain.Hosts;
using Fleet.Domain.Operations;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Data;

/// <summary>Tables of the headless operations (seed 000): the operation, its devices, and the invocations it started.</summary>
internal static class OperationsModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<HeadlessOperation>(operation =>
        {
            operation.ToTable("headless_operations");
            operation.HasKey(o => o.Id);
            operation.Property(o => o.Cron).HasMaxLength(200);
            operation.Property(o => o.TimeZone).HasMaxLength(64);
            operation.Property(o => o.Email).HasMaxLength(254);
            operation.Property(o => o.WebhookUrl).HasMaxLength(2048);
            operation.Property(o => o.ListUrl).HasMaxLength(2048);
            operation.Ignore(o => o.MonitoringUrl);
            operation.HasIndex(o => o.State);
            operation.Ignore(o => o.Schedule);
            operation.Ignore(o => o.RetryPolicy);
            operation.Ignore(o => o.Notification);
            operation.Ignore(o => o.PublicId);
        });

        modelBuilder.Entity<OperationDevice>(device =>
        {
            device.ToTable("headless_operation_devices");
            device.HasKey(d => new { d.OperationId, d.Position });
            device.Property(d => d.DeviceName).HasMaxLength(255);
            device.HasOne<HeadlessOperation>().WithMany().HasForeignKey(d => d.OperationId).OnDelete(DeleteBehavior.Cascade);
            device.HasOne<ManagedHost>().WithMany().HasForeignKey(d => d.HostId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<OperationRun>(run =>
        {
            run.ToTable("headless_operation_runs");
            run.HasKey(r => r.Id);
            run.HasIndex(r => new { r.OperationId, r.Occurrence, r.Attempt });
            run.HasOne<HeadlessOperation>().WithMany().HasForeignKey(r => r.OperationId).OnDelete(DeleteBehavior.Cascade);
            run.HasOne<Invocation>().WithMany().HasForeignKey(r => r.InvocationId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<NotificationDelivery>(delivery =>
        {
            delivery.ToTable("headless_operation_notifications");
            delivery.HasKey(d => d.Id);
            delivery.Property(d => d.Target).HasMaxLength(2048);
            delivery.Property(d => d.Reply).HasMaxLength(NotificationDelivery.MaxReplyLength);
            delivery.HasIndex(d => new { d.OperationId, d.Occurrence });
            delivery.HasOne<HeadlessOperation>().WithMany().HasForeignKey(d => d.OperationId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<InstallationSecretRecord>(secret =>
        {
            secret.ToTable("installation_secrets");
            secret.HasKey(s => s.Name);
            secret.Property(s => s.Name).HasMaxLength(100);
        });
    }
}

/// <summary>A secret that belongs to the installation rather than to a user or host (the webhook signing key).</summary>
public sealed class InstallationSecretRecord
{
    public string Name { get; set; } = "";
    public string Value { get; set; } = "";
}
