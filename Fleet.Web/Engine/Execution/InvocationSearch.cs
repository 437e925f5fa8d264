using System.Globalization;
using System.Text.RegularExpressions;
using Fleet.Domain.Execution;
using Fleet.Web.Data;

namespace Fleet.Web.Engine.Execution;

/// <summary>
/// Foreman's <c>search=</c> for job invocations over the fields seed 002 lists: terms
/// <c>field op value</c> joined by <c>and</c> (ops = != ~ !~ &lt; &gt; &lt;= &gt;=, ^ for lists); a bare word searches the description.
/// </summary>
public static partial class InvocationSearch
{
    public static readonly IReadOnlyList<string> Fields =
    [
        "description", "ended_at", "host", "id", "job_category", "owner", "pattern_template_name", "recurring",
        "recurring_logic.id", "recurring_logic.purpose", "start_at", "started_at", "status", "targeted_host_id", "user",
    ];

    public static IQueryable<Invocation> Apply(IQueryable<Invocation> invocations, FleetDbContext db, string? search)
    {
        if (string.IsNullOrWhiteSpace(search)) return invocations;
        foreach (Match term in Term().Matches(search))
        {
            if (term.Groups["and"].Success) continue;
            if (term.Groups["bare"].Success)
            {
                var word = Unquote(term.Groups["bare"].Value).ToLower();
                invocations = invocations.Where(i => (i.Description ?? "").ToLower().Contains(word));
                continue;
            }
            var field = term.Groups["field"].Value.ToLowerInvariant();
            var op = term.Groups["op"].Value;
            var value = Unquote(term.Groups["value"].Value);
            invocations = field switch
            {
                "id" => Number(invocations, op, value, field),
                "description" => Text(invocations, i => i.Description ?? "", op, value),
                "job_category" => Text(invocations, i => i.JobCategory, op, value),
                "pattern_template_name" => Text(invocations, i => i.TemplateName, op, value),
                "owner" or "user" => Text(invocations, i => i.Owner, op, value),
                "status" => Status(invocations, op, value),
                "recurring" => bool.TryParse(value, out var recurring)
                    ? invocations.Where(i => (i.RecurringLogicId != null) == recurring)
                    : throw new InvocationSearchException($"recurring must be true or false, not '{value}'."),
                "recurring_logic.id" => long.TryParse(value, out var logicId)
                    ? invocations.Where(i => i.RecurringLogicId == logicId)
                    : throw new InvocationSearchException($"recurring_logic.id must be a number, not '{value}'."),
                "recurring_logic.purpose" => invocations.Where(i => db.RecurringLogics.Any(l => l.Id == i.RecurringLogicId && l.Purpose == value)),
                "host" => invocations.Where(i => db.TargetRuns.Any(r => r.InvocationId == i.Id && r.DeviceName.ToLower() == value.ToLower())),
                "targeted_host_id" => Guid.TryParse(value, out var hostId)
                    ? invocations.Where(i => db.TargetRuns.Any(r => r.InvocationId == i.Id && r.HostId == hostId))
                    : throw new InvocationSearchException($"targeted_host_id must be a host id, not '{value}'."),
                "start_at" => Date(invocations, field, op, value),
                "started_at" => Date(invocations, field, op, value),
                "ended_at" => Date(invocations, field, op, value),
                _ => throw new InvocationSearchException($"Field '{field}' not recognized for searching! Valid fields: {string.Join(", ", Fields)}."),
            };
        }
        return invocations;
    }

    private static IQueryable<Invocation> Text(IQueryable<Invocation> q, System.Linq.Expressions.Expression<Func<Invocation, string>> field, string op, string value)
    {
        var lower = value.ToLower();
        var parameter = field.Parameters[0];
        var lowered = System.Linq.Expressions.Expression.Call(field.Body, typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!);
        System.Linq.Expressions.Expression body = op switch
        {
            "=" => System.Linq.Expressions.Expression.Equal(lowered, Parameter(lower)),
            "!=" => System.Linq.Expressions.Expression.NotEqual(lowered, Parameter(lower)),
            "~" => Contains(lowered, lower),
            "!~" => System.Linq.Expressions.Expression.Not(Contains(lowered, lower)),
            _ => throw new InvocationSearchException($"Operator '{op}' cannot be used on a text field."),
        };
        return q.Where(System.Linq.Expressions.Expression.Lambda<Func<Invocation, bool>>(body, parameter));
    }

    /// <summary>Status compares as its label would (<c>status ~ ed</c> finds succeeded and failed); the row stores the outcome.</summary>
    private static IQueryable<Invocation> Status(IQueryable<Invocation> q, string op, string value)
    {
        var lower = value.ToLowerInvariant();
        Func<string, bool> matches = op switch
        {
            "=" => label => label == lower,
            "!=" => label => label != lower,
            "~" => label => label.Contains(lower, StringComparison.Ordinal),
            "!~" => label => !label.Contains(lower, StringComparison.Ordinal),
            _ => throw new InvocationSearchException($"Operator '{op}' cannot be used on a text field."),
        };
        var outcomes = Enum.GetValues<InvocationOutcome>().Where(o => matches(o.Label())).ToList();
        return q.Where(i => outcomes.Contains(i.Outcome));
    }

    private static System.Linq.Expressions.Expression Contains(System.Linq.Expressions.Expression text, string value) =>
        System.Linq.Expressions.Expression.Call(text, typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!, Parameter(value));

    private static IQueryable<Invocation> Number(IQueryable<Invocation> q, string op, string value, string field)
    {
        if (!long.TryParse(value, out var n)) throw new InvocationSearchException($"{field} must be a number, not '{value}'.");
        return op switch
        {
            "=" => q.Where(i => i.Id == n),
            "!=" => q.Where(i => i.Id != n),
            ">" => q.Where(i => i.Id > n),
            "<" => q.Where(i => i.Id < n),
            ">=" => q.Where(i => i.Id >= n),
            "<=" => q.Where(i => i.Id <= n),
            _ => throw new InvocationSearchException($"Operator '{op}' cannot be used on {field}."),
        };
    }

    private static IQueryable<Invocation> Date(IQueryable<Invocation> q, string field, string op, string value)
    {
        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            throw new InvocationSearchException($"{field} must be a date and time, not '{value}'.");
        System.Linq.Expressions.Expression<Func<Invocation, DateTimeOffset?>> selector = field switch
        {
            "start_at" => i => i.StartAt,
            "started_at" => i => i.StartedAt,
            _ => i => i.EndedAt,
        };
        var p = selector.Parameters[0];
        var constant = Parameter((DateTimeOffset?)at);
        System.Linq.Expressions.Expression body = op switch
        {
            ">" => System.Linq.Expressions.Expression.GreaterThan(selector.Body, constant),
            ">=" => System.Linq.Expressions.Expression.GreaterThanOrEqual(selector.Body, constant),
            "<" => System.Linq.Expressions.Expression.LessThan(selector.Body, constant),
            "<=" => System.Linq.Expressions.Expression.LessThanOrEqual(selector.Body, constant),
            "=" => System.Linq.Expressions.Expression.Equal(selector.Body, constant),
            _ => throw new InvocationSearchException($"Operator '{op}' cannot be used on {field}."),
        };
        return q.Where(System.Linq.Expressions.Expression.Lambda<Func<Invocation, bool>>(body, p));
    }

    /// <summary>Foreman's <c>order=</c>: "&lt;field&gt; [ASC|DESC]". Returns the ordered query and the (by, order) to echo.</summary>
    public static (IQueryable<Invocation> Query, string? By, string? Order) Order(IQueryable<Invocation> q, string? order)
    {
        if (string.IsNullOrWhiteSpace(order)) return (q.OrderByDescending(i => i.Id), null, null);
        var parts = order.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var by = parts[0].ToLowerInvariant();
        var direction = parts.Length > 1 ? parts[1].ToUpperInvariant() : "ASC";
        if (direction is not ("ASC" or "DESC") || parts.Length > 2) throw new InvocationSearchException($"order must be '<field> ASC' or '<field> DESC', not '{order}'.");
        var desc = direction == "DESC";
        q = by switch
        {
            "id" => desc ? q.OrderByDescending(i => i.Id) : q.OrderBy(i => i.Id),
            "description" => desc ? q.OrderByDescending(i => i.Description) : q.OrderBy(i => i.Description),
            "job_category" => desc ? q.OrderByDescending(i => i.JobCategory) : q.OrderBy(i => i.JobCategory),
            "status" => desc ? q.OrderByDescending(LabelOrder) : q.OrderBy(LabelOrder),
            "start_at" => desc ? q.OrderByDescending(i => i.StartAt) : q.OrderBy(i => i.StartAt),
            "started_at" => desc ? q.OrderByDescending(i => i.StartedAt) : q.OrderBy(i => i.StartedAt),
            "ended_at" => desc ? q.OrderByDescending(i => i.EndedAt) : q.OrderBy(i => i.EndedAt),
            "owner" or "user" => desc ? q.OrderByDescending(i => i.Owner) : q.OrderBy(i => i.Owner),
            _ => throw new InvocationSearchException($"Cannot order by '{by}'; use one of: id, description, job_category, status, start_at, started_at, ended_at, owner."),
        };
        return (q, by, direction);
    }

    /// <summary>Orders outcomes as their labels sort: cancelled, failed, queued, running, succeeded.</summary>
    private static readonly System.Linq.Expressions.Expression<Func<Invocation, int>> LabelOrder = i =>
        i.Outcome == InvocationOutcome.Cancelled ? 0 : i.Outcome == InvocationOutcome.Failed ? 1 : i.Outcome == InvocationOutcome.Queued ? 2
        : i.Outcome == InvocationOutcome.Running ? 3 : 4;

    // A constant would be inlined into the SQL text (where a NUL ends the statement); a property of a constant
    // object is sent as a query parameter, so no search value is ever SQL.
    private static System.Linq.Expressions.MemberExpression Parameter<T>(T value) =>
        System.Linq.Expressions.Expression.Property(System.Linq.Expressions.Expression.Constant(new SearchValue<T>(value)), nameof(SearchValue<T>.Value));

    private sealed class SearchValue<T>(T value)
    {
        public T Value { get; } = value;
    }

    private static string Unquote(string value) => value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;

    [GeneratedRegex(@"\s*(?:(?<and>\band\b)|(?<field>[a-z_.]+)\s*(?<op>!=|!~|<=|>=|=|~|<|>|\^)\s*(?<value>""[^""]*""|'[^']*'|[^\s]+)|(?<bare>""[^""]*""|[^\s]+))", RegexOptions.IgnoreCase)]
    private static partial Regex Term();
}
