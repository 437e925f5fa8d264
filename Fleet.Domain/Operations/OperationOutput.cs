namespace Fleet.Domain.Operations;

public enum CheckOutcome
{
    Pass,
    Warn,
    Fail,
}

public sealed record CheckResult(string Name, CheckOutcome Outcome, string Detail);

/// <summary>
/// What the operation templates report on their output, one marker per line, between ordinary output:
/// <c>::tasks N</c> (how many steps), <c>::task NAME</c> (a step begins), <c>::check NAME pass|warn|fail DETAIL</c>
/// (a health check's verdict). Reading them back gives progress while a device runs and the result after.
/// </summary>
public sealed record OperationOutput(int? TotalTasks, IReadOnlyList<string> Tasks, IReadOnlyList<CheckResult> Checks)
{
    public static OperationOutput Parse(string output)
    {
        int? total = null;
        var tasks = new List<string>();
        var checks = new List<CheckResult>();
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (!line.StartsWith("::", StringComparison.Ordinal)) continue;
            var parts = line[2..].Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
            switch (parts)
            {
                case ["tasks", var n] when int.TryParse(n, out var count) && count is > 0 and < 1000:
                    total = count;
                    break;
                case ["task", var name, ..]:
                    tasks.Add(name);
                    break;
                case ["check", var name, var verdict, .. var rest] when Outcome(verdict) is { } outcome:
                    checks.Add(new CheckResult(name, outcome, rest.Length > 0 ? rest[0] : ""));
                    break;
            }
        }
        return new OperationOutput(total, tasks, checks);
    }

    private static CheckOutcome? Outcome(string word) => word switch
    {
        "pass" => CheckOutcome.Pass,
        "warn" => CheckOutcome.Warn,
        "fail" => CheckOutcome.Fail,
        _ => null,
    };

    public int Passed => Checks.Count(c => c.Outcome == CheckOutcome.Pass);

    public int Failed => Checks.Count(c => c.Outcome == CheckOutcome.Fail);

    public int Warnings => Checks.Count(c => c.Outcome == CheckOutcome.Warn);

    /// <summary>healthy (every check passed), degraded (warnings, no failure) or unhealthy (a failure, or no check ran).</summary>
    public string HealthStatus =>
        Checks.Count == 0 || Checks.Any(c => c.Outcome == CheckOutcome.Fail) ? "unhealthy"
        : Checks.Any(c => c.Outcome == CheckOutcome.Warn) ? "degraded"
        : "healthy";
}
