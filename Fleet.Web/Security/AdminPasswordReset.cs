using System.Security.Cryptography;
using Fleet.Domain.Security;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Security;

/// <summary>
/// The way back in for a locked-out administrator, run on the server's machine (whoever can run it can read
/// the database anyway): <c>dotnet run --project Fleet.Web -- reset-admin-password [--user NAME] [--password PW]</c>.
/// Sets the password (generated and printed when none is given), lifts a lockout, enables the user, ends their
/// sessions, and exits without starting the server.
/// </summary>
public static class AdminPasswordReset
{
    public const string Verb = "reset-admin-password";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Verb;

    /// <returns>The process exit code: 0 done, 2 no such admin, 1 the password was refused.</returns>
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output)
    {
        var username = Option(args, "--user") ?? "admin";
        var given = Option(args, "--password");
        var password = given ?? RandomNumberGenerator.GetHexString(20, lowercase: true);
        await services.MigrateFleetDatabaseAsync();
        var accounts = services.GetRequiredService<IAccountAdmin>();
        await using var db = await services.GetRequiredService<IDbContextFactory<FleetDbContext>>().CreateDbContextAsync();
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Username == username);
        if (user is null || user.Role != Roles.Admin)
        {
            output.WriteLine($"{Verb}: there is no admin user '{username}'.");
            return 2;
        }
        try
        {
            await accounts.SetPasswordAsync(user.Id, password);
        }
        catch (ArgumentException refused)
        {
            output.WriteLine($"{Verb}: {refused.Message}");
            return 1;
        }
        await accounts.UnlockAsync(user.Id);
        await accounts.SetDisabledAsync(user.Id, disabled: false);
        output.WriteLine(given is null
            ? $"{Verb}: the password of '{username}' is now {password} (its sessions have ended)."
            : $"{Verb}: the password of '{username}' was set (its sessions have ended).");
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
