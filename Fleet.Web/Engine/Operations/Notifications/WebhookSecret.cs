using System.Security.Cryptography;
using System.Text;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fleet.Web.Engine.Operations.Notifications;

/// <summary>What the Settings page may do with the webhook signing secret: learn where it comes from, and rotate it.</summary>
public interface IWebhookSecretAdmin
{
    /// <summary>True when <c>Fleet:Notifications:WebhookSecret</c> sets it: then it changes there, not here.</summary>
    bool IsConfigured { get; }

    /// <summary>Replaces the generated secret and returns the new one, the only time it is shown.</summary>
    Task<string> RotateAsync(CancellationToken ct = default);
}

/// <summary>
/// The per-installation key webhooks are signed with: from configuration, or generated once and kept in the database
/// so every server instance signs alike.
/// </summary>
public sealed class WebhookSecret(IDbContextFactory<FleetDbContext> dbFactory, IOptions<NotificationOptions> options) : IWebhookSecretAdmin
{
    public const string SettingName = "webhook_secret";

    private byte[]? _key;

    public bool IsConfigured => !string.IsNullOrEmpty(options.Value.WebhookSecret);

    public async Task<string> RotateAsync(CancellationToken ct = default)
    {
        if (IsConfigured) throw new Domain.DomainException("The webhook secret is set by Fleet:Notifications:WebhookSecret; change it there.");
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = await db.InstallationSecrets.FirstOrDefaultAsync(s => s.Name == SettingName, ct);
        if (stored is null) db.InstallationSecrets.Add(new InstallationSecretRecord { Name = SettingName, Value = secret });
        else stored.Value = secret;
        await db.SaveChangesAsync(ct);
        // Receivers verify with the secret's text: the key is its UTF-8 bytes, as for a generated one read back.
        _key = Encoding.UTF8.GetBytes(secret);
        return secret;
    }

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
