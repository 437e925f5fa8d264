using System.Security.Cryptography;
using System.Text;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fleet.Web.Engine.Operations.Notifications;

/// <summary>
/// The per-installation key webhooks are signed with: from configuration, or generated once and kept in the database
/// so every server instance signs alike.
/// </summary>
public sealed class WebhookSecret(IDbContextFactory<FleetDbContext> dbFactory, IOptions<NotificationOptions> options)
{
    public const string SettingName = "webhook_secret";

    private byte[]? _key;

    public async Task<byte[]> KeyAsync(CancellationToken ct = default)
    {
        if (_key is { } known) return known;
        if (!string.IsNullOrEmpty(options.Value.WebhookSecret)) return _key = Encoding.UTF8.GetBytes(options.Value.WebhookSecret);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = await db.InstallationSecrets.AsNoTracking().FirstOrDefaultAsync(s => s.Name == SettingName, ct);
        if (stored is null)
        {
            db.InstallationSecrets.Add(new InstallationSecretRecord { Name = SettingName, Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another instance wrote it first: use theirs.
            }
            stored = await db.InstallationSecrets.AsNoTracking().FirstAsync(s => s.Name == SettingName, ct);
        }
        return _key = Encoding.UTF8.GetBytes(stored.Value);
    }
}
