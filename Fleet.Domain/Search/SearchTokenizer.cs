using System.Text;

namespace Fleet.Domain.Search;

/// <summary>Splits a query into tokens, rejecting stray characters with their position.</summary>
internal static class SearchTokenizer
{
    public static List<SearchToken> Tokenize(string query)
    {
        var tokens = new List<SearchToken>();
        var i = 0;
        while (i < query.Length)
        {
            var c = query[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            switch (c)
            {
                case '(':
                    tokens.Add(new SearchToken(TokenKind.OpenParen, "(", start));
                    i++;
                    break;
                case ')':
                    tokens.Add(new SearchToken(TokenKind.CloseParen, ")", start));
                    i++;
                    break;
                case ',':
                    tokens.Add(new SearchToken(TokenKind.Comma, ",", start));
                    i++;
                    break;
                case '"' or '\'':
                    tokens.Add(ReadQuoted(query, ref i));
                    break;
                case '&' or '|':
                    if (Peek(query, i + 1) != c)
                    {
                        throw new HostSearchException($"Unexpected character '{c}' at position {start}; did you mean '{c}{c}'?", start);
                    }
                    tokens.Add(new SearchToken(c == '&' ? TokenKind.And : TokenKind.Or, $"{c}{c}", start));
                    i += 2;
                    break;
                case '!':
                    var next = Peek(query, i + 1);
                    SearchOperator? negated = next switch
                    {
                        '=' => SearchOperator.NotEqual,
                        '~' => SearchOperator.NotLike,
                        '^' => SearchOperator.NotIn,
                        _ => null,
                    };
                    if (negated is { } op)
                    {
                        tokens.Add(new SearchToken(TokenKind.Operator, $"!{next}", start, op));
                        i += 2;
                    }
                    else
                    {
                        tokens.Add(new SearchToken(TokenKind.Not, "!", start));
                        i++;
                    }
                    break;
                case '=':
                    tokens.Add(new SearchToken(TokenKind.Operator, "=", start, SearchOperator.Equal));
                    i++;
                    break;
                case '~':
                    tokens.Add(new SearchToken(TokenKind.Operator, "~", start, SearchOperator.Like));
                    i++;
                    break;
                case '^':
                    tokens.Add(new SearchToken(TokenKind.Operator, "^", start, SearchOperator.In));
                    i++;
                    break;
                case '<' or '>':
                    var orEqual = Peek(query, i + 1) == '=';
                    var comparison = (c, orEqual) switch
                    {
                        ('<', false) => SearchOperator.Less,
                        ('<', true) => SearchOperator.LessOrEqual,
                        (_, false) => SearchOperator.Greater,
                        _ => SearchOperator.GreaterOrEqual,
                    };
                    tokens.Add(new SearchToken(TokenKind.Operator, orEqual ? $"{c}=" : $"{c}", start, comparison));
                    i += orEqual ? 2 : 1;
                    break;
                default:
                    if (!IsWordChar(c))
                    {
                        throw new HostSearchException($"Unexpected character '{c}' at position {start}; quote values that contain it", start);
                    }
                    while (i < query.Length && IsWordChar(query[i])) i++;
                    tokens.Add(Word(query[start..i], start));
                    break;
            }
        }
        tokens.Add(new SearchToken(TokenKind.End, "", query.Length));
        return tokens;
    }

    // '*' is kept in words so the builder can read it as a wildcard; ':' and '/' let IPv6 addresses,
    // CIDR-looking text and paths be typed without quotes.
    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' or ':' or '/' or '*';

    private static char Peek(string query, int index) => index < query.Length ? query[index] : '\0';

    private static SearchToken Word(string text, int position) => text.ToLowerInvariant() switch
    {
        "and" => new SearchToken(TokenKind.And, text, position),
        "or" => new SearchToken(TokenKind.Or, text, position),
        "not" => new SearchToken(TokenKind.Not, text, position),
        _ => new SearchToken(TokenKind.Word, text, position),
    };

    private static SearchToken ReadQuoted(string query, ref int i)
    {
        var quote = query[i];
        var start = i;
        var text = new StringBuilder();
        i++;
        while (i < query.Length)
        {
            var c = query[i];
            if (c == quote)
            {
                i++;
                return new SearchToken(TokenKind.Quoted, text.ToString(), start);
            }
            // Only the quote characters and the backslash are escapes; any other backslash is literal,
            // so Windows paths can be pasted as they are.
            if (c == '\\' && Peek(query, i + 1) is '"' or '\'' or '\\')
            {
                text.Append(query[i + 1]);
                i += 2;
                continue;
            }
            text.Append(c);
            i++;
        }
        throw new HostSearchException($"Unclosed quote {quote} opened at position {start}", start);
    }
}
