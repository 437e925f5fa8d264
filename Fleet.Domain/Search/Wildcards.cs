namespace Fleet.Domain.Search;

internal enum WildcardMatch
{
    Exact,
    Prefix,
    Anywhere,
}

/// <summary>
/// Reads '*' in bare values: <c>web*</c> is a prefix, <c>*web*</c> matches anywhere. Only shapes that
/// map to StartsWith/Contains are accepted, since SQL LIKE patterns are not used; quoted values are literal.
/// </summary>
internal static class Wildcards
{
    /// <returns>The lower-cased text without its '*' and how it should match.</returns>
    public static (string Text, WildcardMatch Match) Read(SearchValue value, string operatorText)
    {
        var text = value.Text.ToLowerInvariant();
        if (value.Quoted || !text.Contains('*')) return (text, WildcardMatch.Exact);

        var leading = text.StartsWith('*');
        var trailing = text.EndsWith('*');
        var core = text.Trim('*');
        var inner = core.IndexOf('*');
        if (inner >= 0)
        {
            var position = value.Position + value.Text.IndexOf(core, StringComparison.OrdinalIgnoreCase) + inner;
            throw new HostSearchException($"Wildcard '*' at position {position} is supported only at the start or end of a value", position);
        }
        if (leading && !trailing && operatorText is "=" or "!=")
        {
            throw new HostSearchException($"Wildcard '*' at position {value.Position} cannot end a match with '{operatorText}'; use 'text*' for a prefix or '~' to match anywhere", value.Position);
        }
        return (core, trailing && !leading ? WildcardMatch.Prefix : WildcardMatch.Anywhere);
    }
}
