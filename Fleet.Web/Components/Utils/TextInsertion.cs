namespace Fleet.Web.Components.Utils;

/// <summary>A chip's text put into a field: over the selection when the field's caret is known, else at the end.</summary>
public static class TextInsertion
{
    /// <param name="start">selectionStart as the browser counts it (UTF-16 units of the field's value); null when unknown.</param>
    /// <returns>The new text and where the caret goes: just after the inserted text.</returns>
    public static (string Text, int Caret) Insert(string text, string insert, int? start, int? end)
    {
        // A textarea's value has only \n line breaks, so the browser's positions count those.
        text = text.ReplaceLineEndings("\n");
        if (start is not { } from)
        {
            // No caret known: append, on its own word.
            var appended = text.Length == 0 || char.IsWhiteSpace(text[^1]) ? text + insert : text + " " + insert;
            return (appended, appended.Length);
        }
        from = Math.Clamp(from, 0, text.Length);
        var to = Math.Clamp(end ?? from, from, text.Length);
        return (string.Concat(text.AsSpan(0, from), insert, text.AsSpan(to)), from + insert.Length);
    }
}
