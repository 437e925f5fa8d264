using System.Security.Cryptography;
using Fleet.Domain.Security;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fleet.Web.Security;

/// <summary>
/// Makes a fresh install usable: the first admin user (password from configuration, else generated
/// and logged once) and, for automation, an admin API token with a configured value.
/// </summary>
public sealed class SecurityBootstrap(
    AccountAdmin accounts,
    IDbContextFactory<FleetDbContext> dbFactory,
    IOptions<BootstrapOptions> options,
    ILogger<SecurityBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.Users.AnyAsync(cancellationToken))
            {
                var configured = options.Value.AdminPassword;
                var password = string.IsNullOrEmpty(configured) ? RandomNumberGenerator.GetHexString(16, lowercase: true) : configured;
                await accounts.CreateUserAsync("admin", password, Roles.Admin, cancellationToken);
                if (string.IsNullOrEmpty(configured))
                    logger.LogWarning("Created the first admin user 'admin' with password {Password} — change it under Settings.", password);
                else
                    logger.LogInformation("Created the first admin user 'admin' with the configured password.");
            }
        }

        var adminToken = options.Value.AdminToken;
        if (!string.IsNullOrEmpty(adminToken)) await accounts.EnsureTokenAsync("bootstrap admin token", Roles.Admin, adminToken, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
