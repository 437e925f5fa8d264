using Fleet.Web.Components.Utils;

namespace Fleet.Tests.Components.Utils;

public sealed class TextInsertionTests
{
    [Theory]
    [InlineData("ab cd", 2, 2, "ab[X] cd", 5)]
    [InlineData("ab cd", 0, 0, "[X]ab cd", 3)]
    [InlineData("ab cd", 5, 5, "ab cd[X]", 8)]
    [InlineData("ab cd", 3, 5, "ab [X]", 6)]
    [InlineData("", 0, 0, "[X]", 3)]
    // A stale position past the end of a shorter text lands at the end.
    [InlineData("ab", 9, 9, "ab[X]", 5)]
    // An end before the start is an empty selection at the start.
    [InlineData("abcd", 2, 1, "ab[X]cd", 5)]
    public void AtTheCaret_ReplacesTheSelection_CaretAfterTheInsert(string text, int start, int end, string expected, int caret)
    {
        Assert.Equal((expected, caret), TextInsertion.Insert(text, "[X]", start, end));
    }

    [Fact]
    public void PositionsCountBrowserLineBreaks()
    {
        // The browser counts "a\nb" as three characters even when the text was loaded as "a\r\nb".
        Assert.Equal(("a\n[X]b", 5), TextInsertion.Insert("a\r\nb", "[X]", 2, 2));
    }

    [Theory]
    [InlineData("", "[X]")]
    [InlineData("run", "run [X]")]
    [InlineData("run ", "run [X]")]
    [InlineData("run\n", "run\n[X]")]
    public void NoCaretKnown_AppendsAsAWord(string text, string expected)
    {
        Assert.Equal((expected, expected.Length), TextInsertion.Insert(text, "[X]", null, null));
    }
}
