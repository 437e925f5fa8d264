using System.Linq.Expressions;
using Hangfire;
using Hangfire.Common;

namespace Fleet.Web.Jobs;

/// <summary>
/// The delayed jobs Hangfire's storage holds already. A persistent storage keeps them across a restart, so the start-up
/// reconciler schedules only what the storage lost (all of it with the in-memory storage), never the same call twice.
/// </summary>
public sealed class WaitingJobs
{
    private readonly List<Job> _scheduled;

    private WaitingJobs(List<Job> scheduled) => _scheduled = scheduled;

    public static WaitingJobs Read(JobStorage storage)
    {
        var monitoring = storage.GetMonitoringApi();
        var count = (int)Math.Min(monitoring.ScheduledCount(), int.MaxValue);
        var scheduled = count == 0 ? [] : monitoring.ScheduledJobs(0, count).Select(j => j.Value?.Job).OfType<Job>().ToList();
        return new WaitingJobs(scheduled);
    }

    public bool Contains<T>(Expression<Func<T, Task>> call)
    {
        var wanted = Job.FromExpression(call);
        return _scheduled.Any(j => j.Type == wanted.Type && j.Method == wanted.Method && j.Args.SequenceEqual(wanted.Args));
    }
}
