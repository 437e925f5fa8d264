using System.Security.Cryptography;
using Fleet.Web.Audit;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fleet.Web.Security;

public enum SignInOutcome { Success, Invalid }

/// <summary>
/// Checks a username and password. Every attempt costs one PBKDF2 verification — against a dummy hash
/// when the user is unknown — so the answer's timing does not tell existing usernames apart. A user
/// locked out, disabled or unknown gets the same answer as a wrong password.
/// </summary>
public sealed class SignInService(
    IDbContextFactory<FleetDbContext> dbFactory,
    IOptions<SecurityOptions> options,
    TimeProvider clock,
    IAuditLog audit)
{
    // Same algorithm and iteration count as real hashes, so verifying it costs the same.
    private static readonly Lazy<string> DummyHash = new(() => Secrets.HashPassword(RandomNumberGenerator.GetHexString(32)));

    public async Task<(SignInOutcome Outcome, UserRecord? User)> CheckAsync(string? username, string? password, string address, CancellationToken ct)
    {
        var name = (username ?? "").Trim();
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = name.Length is 0 or > 100 ? null : await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Username == name, ct);
        var passwordMatches = Secrets.VerifyPassword(password ?? "", user?.PasswordHash ?? DummyHash.Value);

        var outcome = SignInOutcome.Invalid;
        string reason;
        if (user is null) reason = "unknown user";
        else if (user.Disabled) reason = "user disabled";
        else if (user.IsLockedOut(now)) reason = "locked out";
        else if (!passwordMatches)
        {
            reason = await RecordFailureAsync(db, user.Id, now, ct) ? "wrong password; locked out" : "wrong password";
        }
        else
        {
            reason = "success";
            outcome = SignInOutcome.Success;
            if (user.FailedSignIns > 0 || user.LockedUntil is not null)
                await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(u => u.FailedSignIns, 0)
                    .SetProperty(u => u.LockedUntil, (DateTimeOffset?)null), ct);
        }

        // An unknown username is often a password typed into the wrong box: it is never recorded.
        var who = user?.Username ?? "(unknown username)";
        await audit.RecordAsync(new AuditEntry(who, user is null ? AuditActorKinds.Anonymous : AuditActorKinds.User, AuditSources.Dashboard,
            "sign-in", who, address, outcome == SignInOutcome.Success ? AuditOutcomes.Success : AuditOutcomes.Error(reason)));
        return (outcome, outcome == SignInOutcome.Success ? user : null);
    }

    /// <summary>Counts the failure in one statement (parallel guesses cannot overwrite each other's count); true when it locks the user.</summary>
    private async Task<bool> RecordFailureAsync(FleetDbContext db, Guid userId, DateTimeOffset now, CancellationToken ct)
    {
        var settings = options.Value;
        var max = Math.Max(1, settings.MaxFailedSignIns);
        DateTimeOffset? lockUntil = now.AddMinutes(settings.LockoutMinutes);
        // Reaching the limit locks the user and restarts the count, so the next lockout again takes a full set of failures.
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.LockedUntil, u => u.FailedSignIns + 1 >= max ? lockUntil : u.LockedUntil)
            .SetProperty(u => u.FailedSignIns, u => u.FailedSignIns + 1 >= max ? 0 : u.FailedSignIns + 1), ct);
        var lockedNow = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.LockedUntil).FirstOrDefaultAsync(ct);
        return lockedNow is { } until && until > now;
    }
}
