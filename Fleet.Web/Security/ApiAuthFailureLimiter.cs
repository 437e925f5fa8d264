using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Fleet.Web.Security;

/// <summary>
/// Counts rejected API tokens per client address with the framework's fixed-window rate limiter. Only
/// failures spend permits, so a well-behaved integration is never slowed; an address that has spent them
/// is answered 429 for every token until the window ends, which makes guessing tokens pointless.
/// </summary>
public sealed class ApiAuthFailureLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public ApiAuthFailureLimiter(IOptions<SecurityOptions> options)
    {
        var limit = options.Value.ApiAuthFailureLimit;
        Window = TimeSpan.FromSeconds(Math.Max(1, limit.WindowSeconds));
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, limit.PermitLimit), Window = Window, QueueLimit = 0 }));
    }

    public TimeSpan Window { get; }

    public bool IsBlocked(string address) => _limiter.GetStatistics(address)?.CurrentAvailablePermits == 0;

    public void Failed(string address)
    {
        using var lease = _limiter.AttemptAcquire(address);
    }

    public void Dispose() => _limiter.Dispose();
}
