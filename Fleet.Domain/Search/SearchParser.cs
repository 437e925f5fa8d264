namespace Fleet.Domain.Search;

/// <summary>
/// Recursive descent over the tokens: or → and → not → primary. Adjacent terms are joined by an
/// implicit 'and', as in Foreman. Recursion happens only through parentheses, whose depth is capped,
/// so hostile input cannot overflow the stack.
/// </summary>
internal sealed class SearchParser
{
    public const int MaxDepth = 100;

    private readonly List<SearchToken> _tokens;
    private int _index;
    private int _depth;

    private SearchParser(List<SearchToken> tokens) => _tokens = tokens;

    /// <returns>Null for a query with no terms, which matches every host.</returns>
    public static SearchNode? Parse(string query)
    {
        var parser = new SearchParser(SearchTokenizer.Tokenize(query));
        if (parser.Current.Kind == TokenKind.End) return null;
        var node = parser.ParseOr();
        var rest = parser.Current;
        if (rest.Kind == TokenKind.CloseParen)
        {
            throw new HostSearchException($"Unexpected ')' at position {rest.Position}; no parenthesis is open", rest.Position);
        }
        if (rest.Kind != TokenKind.End)
        {
            throw new HostSearchException($"Unexpected {rest.Describe()} at position {rest.Position}", rest.Position);
        }
        return node;
    }

    private SearchToken Current => _tokens[_index];

    private SearchToken Next() => _tokens[_index++];

    private SearchNode ParseOr()
    {
        var first = ParseAnd();
        if (Current.Kind != TokenKind.Or) return first;
        var operands = new List<SearchNode> { first };
        while (Current.Kind == TokenKind.Or)
        {
            Next();
            operands.Add(ParseAnd());
        }
        return new OrNode(operands, first.Position);
    }

    private SearchNode ParseAnd()
    {
        var first = ParseNot();
        var operands = new List<SearchNode> { first };
        while (true)
        {
            if (Current.Kind == TokenKind.And)
            {
                Next();
            }
            else if (!StartsTerm(Current))
            {
                break;
            }
            operands.Add(ParseNot());
        }
        return operands.Count == 1 ? first : new AndNode(operands, first.Position);
    }

    private static bool StartsTerm(SearchToken token) =>
        token.Kind is TokenKind.Word or TokenKind.Quoted or TokenKind.OpenParen or TokenKind.Not;

    // A loop, not recursion: 'not not not …' is as long as the query allows. Pairs cancel out,
    // which holds in SQL's three-valued logic too.
    private SearchNode ParseNot()
    {
        var negations = 0;
        var position = Current.Position;
        while (Current.Kind == TokenKind.Not)
        {
            Next();
            negations++;
        }
        var operand = ParsePrimary();
        return negations % 2 == 1 ? new NotNode(operand, position) : operand;
    }

    private SearchNode ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.OpenParen:
                if (++_depth > MaxDepth)
                {
                    throw new HostSearchException($"Parentheses nested more than {MaxDepth} deep at position {token.Position}", token.Position);
                }
                Next();
                if (Current.Kind == TokenKind.CloseParen)
                {
                    throw new HostSearchException($"Expected a search term inside the parentheses opened at position {token.Position}", token.Position);
                }
                var inner = ParseOr();
                if (Current.Kind != TokenKind.CloseParen)
                {
                    if (Current.Kind == TokenKind.End)
                    {
                        throw new HostSearchException($"Unclosed parenthesis opened at position {token.Position}", token.Position);
                    }
                    throw new HostSearchException($"Expected ')' or 'and'/'or' at position {Current.Position} but found {Current.Describe()}", Current.Position);
                }
                Next();
                _depth--;
                return inner;

            case TokenKind.Word when _tokens[_index + 1].Kind == TokenKind.Operator:
                return ParseComparison();

            case TokenKind.Word or TokenKind.Quoted:
                // A bare term searches hostnames, like typing into a filter box.
                Next();
                return new ComparisonNode(
                    HostSearchFields.Name.Name, token.Position, SearchOperator.Like, "~", token.Position,
                    [new SearchValue(token.Text, token.Position, token.Kind == TokenKind.Quoted)]);

            case TokenKind.End:
                throw new HostSearchException($"Expected a search term at position {token.Position} but the query ended", token.Position);

            case TokenKind.Operator:
                throw new HostSearchException($"Expected a field name before {token.Describe()} at position {token.Position}", token.Position);

            default:
                throw new HostSearchException($"Expected a search term at position {token.Position} but found {token.Describe()}", token.Position);
        }
    }

    private ComparisonNode ParseComparison()
    {
        var field = Next();
        var op = Next();
        var values = new List<SearchValue>();
        var isList = op.Operator is SearchOperator.In or SearchOperator.NotIn;
        if (isList && Current.Kind == TokenKind.OpenParen)
        {
            var open = Next();
            values.Add(ParseValue(op, "in the list"));
            while (Current.Kind == TokenKind.Comma)
            {
                Next();
                values.Add(ParseValue(op, "after ','"));
            }
            if (Current.Kind != TokenKind.CloseParen)
            {
                if (Current.Kind == TokenKind.End)
                {
                    throw new HostSearchException($"Unclosed list opened at position {open.Position}", open.Position);
                }
                throw new HostSearchException($"Expected ',' or ')' in the list at position {Current.Position} but found {Current.Describe()}", Current.Position);
            }
            Next();
        }
        else
        {
            values.Add(ParseValue(op, null));
        }
        return new ComparisonNode(field.Text, field.Position, op.Operator, op.Text, op.Position, values);
    }

    private SearchValue ParseValue(SearchToken op, string? where)
    {
        var token = Current;
        if (token.Kind is TokenKind.Word or TokenKind.Quoted)
        {
            Next();
            return new SearchValue(token.Text, token.Position, token.Kind == TokenKind.Quoted);
        }
        var found = token.Kind switch
        {
            TokenKind.End => "",
            TokenKind.And or TokenKind.Or or TokenKind.Not => $" but found the keyword {token.Describe()}; quote it to search for it",
            _ => $" but found {token.Describe()}",
        };
        if (where is null)
        {
            throw new HostSearchException($"Expected a value after {op.Describe()} at position {op.Position}{found}", op.Position);
        }
        throw new HostSearchException($"Expected a value {where} at position {token.Position}{found}", token.Position);
    }
}
