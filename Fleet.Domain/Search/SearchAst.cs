namespace Fleet.Domain.Search;

/// <summary>The parsed query. Positions are kept on every node so the builder can report type errors in place.</summary>
internal abstract record SearchNode(int Position);

/// <summary>All operands must match. Kept flat (not nested pairs) so long chains build a shallow expression.</summary>
internal sealed record AndNode(IReadOnlyList<SearchNode> Operands, int Position) : SearchNode(Position);

internal sealed record OrNode(IReadOnlyList<SearchNode> Operands, int Position) : SearchNode(Position);

internal sealed record NotNode(SearchNode Operand, int Position) : SearchNode(Position);

/// <param name="Quoted">Quoted values are literal; only bare words treat '*' as a wildcard.</param>
internal sealed record SearchValue(string Text, int Position, bool Quoted);

/// <summary><c>field op value</c>, or <c>field ^ (a, b)</c> with several values.</summary>
internal sealed record ComparisonNode(
    string Field,
    int Position,
    SearchOperator Operator,
    string OperatorText,
    int OperatorPosition,
    IReadOnlyList<SearchValue> Values) : SearchNode(Position);
