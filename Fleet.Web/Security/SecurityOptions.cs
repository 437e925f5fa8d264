namespace Fleet.Web.Security;

/// <summary><c>Fleet:Security</c>: how sessions are re-checked and how sign-in resists guessing.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Fleet:Security";

    /// <summary>How stale a session's view of its user may be: cookies and open dashboard circuits are re-checked this often.</summary>
    public int SessionCheckSeconds { get; set; } = 30;

    public int MaxFailedSignIns { get; set; } = 10;

    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Sign-in attempts per client address (POST /account/login).</summary>
    public RateLimitOptions LoginRateLimit { get; set; } = new() { PermitLimit = 20, WindowSeconds = 60 };

    /// <summary>Rejected API tokens per client address before further token attempts answer 429.</summary>
    public RateLimitOptions ApiAuthFailureLimit { get; set; } = new() { PermitLimit = 20, WindowSeconds = 60 };

    public TimeSpan SessionCheckInterval => TimeSpan.FromSeconds(Math.Clamp(SessionCheckSeconds, 1, 30));

    /// <summary>
    /// Half the interval for the cache and half for a circuit's re-check, so even a change made on another
    /// server instance (which cannot evict this one's cache) is seen within the whole interval.
    /// </summary>
    public TimeSpan SessionCheckStep => SessionCheckInterval / 2;
}

public sealed class RateLimitOptions
{
    public int PermitLimit { get; set; }
    public int WindowSeconds { get; set; }
}
