using System.Diagnostics;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using Fleet.Domain.Hosts;

namespace Fleet.Domain.Search;

/// <summary>
/// Turns the parsed query into a predicate EF Core can translate to SQL on SQLite and PostgreSQL.
/// Only shapes both providers translate are emitted: equality, comparisons, AndAlso/OrElse/Not,
/// string.ToLower/Contains/StartsWith, List&lt;string&gt;.Contains and null checks.
/// </summary>
internal static class SearchExpressionBuilder
{
    private static readonly ParameterExpression Host = Expression.Parameter(typeof(ManagedHost), "h");
    private static readonly MethodInfo ToLower = typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!;
    private static readonly MethodInfo StringContains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
    private static readonly MethodInfo StartsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;
    private static readonly MethodInfo ListContains = typeof(List<string>).GetMethod(nameof(List<string>.Contains), [typeof(string)])!;

    public static Expression<Func<ManagedHost, bool>> Build(SearchNode? node) =>
        Expression.Lambda<Func<ManagedHost, bool>>(node is null ? Expression.Constant(true) : Translate(node), Host);

    private static Expression Translate(SearchNode node) => node switch
    {
        AndNode and => Balanced(and.Operands.Select(Translate).ToList(), 0, and.Operands.Count, Expression.AndAlso),
        OrNode or => Balanced(or.Operands.Select(Translate).ToList(), 0, or.Operands.Count, Expression.OrElse),
        NotNode not => Expression.Not(Translate(not.Operand)),
        ComparisonNode comparison => Compare(comparison),
        _ => throw new UnreachableException($"Unknown search node {node.GetType().Name}."),
    };

    // A chain of 1000 'or's folded left would be 1000 levels deep, and EF Core's visitors recurse once
    // per level; halving keeps any chain the length cap allows about a dozen levels deep.
    private static Expression Balanced(List<Expression> items, int start, int count, Func<Expression, Expression, Expression> combine)
    {
        if (count == 1) return items[start];
        var half = count / 2;
        return combine(Balanced(items, start, half, combine), Balanced(items, start + half, count - half, combine));
    }

    private static Expression Compare(ComparisonNode node)
    {
        var field = HostSearchFields.Find(node.Field, node.Position);
        var (op, negated) = node.Operator switch
        {
            SearchOperator.NotEqual => (SearchOperator.Equal, true),
            SearchOperator.NotLike => (SearchOperator.Like, true),
            SearchOperator.NotIn => (SearchOperator.In, true),
            var other => (other, false),
        };
        if (op is SearchOperator.Less or SearchOperator.Greater or SearchOperator.LessOrEqual or SearchOperator.GreaterOrEqual
            && field.Kind is not (FieldKind.Number or FieldKind.Bytes))
        {
            throw Error(node.OperatorPosition, $"Operator '{node.OperatorText}' at position {node.OperatorPosition} needs a numeric field; '{node.Field}' is {Describe(field.Kind)}");
        }
        if (op == SearchOperator.Like && field.Kind != FieldKind.Text)
        {
            throw Error(node.OperatorPosition, $"Operator '{node.OperatorText}' at position {node.OperatorPosition} needs a text field; '{node.Field}' is {Describe(field.Kind)}");
        }
        if (op == SearchOperator.In && field.Kind == FieldKind.Flag)
        {
            throw Error(node.OperatorPosition, $"Operator '{node.OperatorText}' at position {node.OperatorPosition} cannot be used with '{node.Field}'; use = or !=");
        }

        var match = field.Kind switch
        {
            FieldKind.Text => CompareText(field, op, node),
            FieldKind.Number or FieldKind.Bytes => CompareNumber(field, op, node),
            FieldKind.Status => AnyOf(node.Values.Select(Status)),
            FieldKind.Flag => HasError(node.Values[0]),
            _ => throw new UnreachableException($"Unknown field kind {field.Kind}."),
        };
        return negated ? Expression.Not(match) : match;
    }

    private static Expression CompareText(SearchField field, SearchOperator op, ComparisonNode node)
    {
        var column = Expression.Call(Expression.Property(Host, field.Property!), ToLower);
        if (op == SearchOperator.In)
        {
            var values = node.Values.Select(v => Wildcards.Read(v, node.OperatorText) switch
            {
                (var text, WildcardMatch.Exact) => text,
                _ => throw Error(v.Position, $"Wildcard '*' at position {v.Position} is not supported in a list; quote the value to search for a literal '*'"),
            }).ToList();
            return Expression.Call(Parameter(values), ListContains, column);
        }

        var (value, match) = Wildcards.Read(node.Values[0], node.OperatorText);
        if (op == SearchOperator.Like) match = WildcardMatch.Anywhere;
        return match switch
        {
            WildcardMatch.Exact => Expression.Equal(column, Parameter(value)),
            WildcardMatch.Prefix => Expression.Call(column, StartsWith, Parameter(value)),
            _ => Expression.Call(column, StringContains, Parameter(value)),
        };
    }

    private static Expression CompareNumber(SearchField field, SearchOperator op, ComparisonNode node)
    {
        var column = Expression.Property(Host, field.Property!);
        var values = node.Values.Select(v => Number(field, v, node.Field)).ToList();
        if (op == SearchOperator.In)
        {
            return AnyOf(values.Select(v => Expression.Equal(column, v)));
        }
        var value = values[0];
        return op switch
        {
            SearchOperator.Equal => Expression.Equal(column, value),
            SearchOperator.Less => Expression.LessThan(column, value),
            SearchOperator.Greater => Expression.GreaterThan(column, value),
            SearchOperator.LessOrEqual => Expression.LessThanOrEqual(column, value),
            SearchOperator.GreaterOrEqual => Expression.GreaterThanOrEqual(column, value),
            _ => throw new UnreachableException($"Operator {op} reached a numeric comparison."),
        };
    }

    private static Expression Number(SearchField field, SearchValue value, string typedName)
    {
        if (field.Kind == FieldKind.Bytes)
        {
            return ByteSize.TryParse(value.Text, out var bytes)
                ? Parameter(bytes)
                : throw Error(value.Position, $"Expected a size such as 8GB, 512MB or a byte count for '{typedName}' at position {value.Position} but found '{value.Text}'");
        }
        return int.TryParse(value.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? Parameter(number)
            : throw Error(value.Position, $"Expected a whole number for '{typedName}' at position {value.Position} but found '{value.Text}'");
    }

    private static Expression Status(SearchValue value)
    {
        var approval = Expression.Property(Host, nameof(ManagedHost.Approval));
        var connectivity = Expression.Property(Host, nameof(ManagedHost.Connectivity));
        Expression Is<T>(Expression member, T constant) => Expression.Equal(member, Expression.Constant(constant));

        // Online and offline describe approved hosts only: a pending or rejected host has no agent
        // allowed to connect, so its connectivity says nothing an operator would filter on.
        return value.Text.ToLowerInvariant() switch
        {
            "online" => Expression.AndAlso(Is(approval, HostApproval.Approved), Is(connectivity, HostConnectivity.Online)),
            "offline" => Expression.AndAlso(Is(approval, HostApproval.Approved), Is(connectivity, HostConnectivity.Offline)),
            "pending" => Is(approval, HostApproval.Pending),
            "rejected" => Is(approval, HostApproval.Rejected),
            _ => throw Error(value.Position, $"Unknown status '{value.Text}' at position {value.Position}; statuses: {string.Join(", ", HostSearchFields.Statuses)}"),
        };
    }

    private static Expression HasError(SearchValue value)
    {
        var hasError = value.Text.ToLowerInvariant() switch
        {
            "true" => true,
            "false" => false,
            _ => throw Error(value.Position, $"Expected true or false for 'has_error' at position {value.Position} but found '{value.Text}'"),
        };
        var lastError = Expression.Property(Host, nameof(ManagedHost.LastError));
        var none = Expression.Constant(null, typeof(string));
        return hasError ? Expression.NotEqual(lastError, none) : Expression.Equal(lastError, none);
    }

    private static Expression AnyOf(IEnumerable<Expression> alternatives)
    {
        var list = alternatives.ToList();
        return Balanced(list, 0, list.Count, Expression.OrElse);
    }

    // Values are read through a property of a constant rather than inlined, so EF Core sends them as
    // SQL parameters: one cached query plan per query shape, and no user text in the SQL itself.
    private static MemberExpression Parameter<T>(T value) =>
        Expression.Property(Expression.Constant(new SearchParameter<T>(value)), nameof(SearchParameter<T>.Value));

    private static string Describe(FieldKind kind) => kind switch
    {
        FieldKind.Text => "text",
        FieldKind.Number or FieldKind.Bytes => "numeric",
        FieldKind.Status => "a status (online, offline, pending, rejected)",
        _ => "true/false",
    };

    private static HostSearchException Error(int position, string message) => new(message, position);

    private sealed class SearchParameter<T>(T value)
    {
        public T Value { get; } = value;
    }
}
