namespace Fleet.Domain.Search;

internal enum TokenKind
{
    Word,
    Quoted,
    Operator,
    And,
    Or,
    Not,
    OpenParen,
    CloseParen,
    Comma,
    End,
}

internal enum SearchOperator
{
    Equal,
    NotEqual,
    Like,
    NotLike,
    In,
    NotIn,
    Less,
    Greater,
    LessOrEqual,
    GreaterOrEqual,
}

/// <param name="Text">The word or unescaped string for values; the source spelling for everything else.</param>
internal sealed record SearchToken(TokenKind Kind, string Text, int Position, SearchOperator Operator = default)
{
    /// <summary>How an error message names this token: the query's end has no text to quote.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.End => "the end of the query",
        TokenKind.Quoted => $"\"{Text}\"",
        _ => $"'{Text}'",
    };
}
