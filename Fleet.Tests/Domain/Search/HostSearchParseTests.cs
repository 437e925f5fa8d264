using Fleet.Domain.Hosts;
using Fleet.Domain.Search;

namespace Fleet.Tests.Domain.Search;

/// <summary>Errors and limits of the search language; no database needed.</summary>
public sealed class HostSearchParseTests
{
    private static HostSearchException Fails(string query) => Assert.Throws<HostSearchException>(() => HostSearch.Parse(query));

    [Fact]
    public void Fields_ListsCanonicalNamesInOfferOrder() =>
        Assert.Equal(
            ["name", "platform", "os_version", "kernel", "agent_version", "ip", "cpu_count", "memory", "cpu_model", "status", "has_error"],
            HostSearch.Fields);

    [Fact]
    public void UnknownField_ReportsItsPosition()
    {
        var error = Fails("platform = linux and nmae = web");
        Assert.Equal(21, error.Position);
        Assert.StartsWith("Unknown field 'nmae' at position 21; fields: name, platform, os_version", error.Message);
    }

    [Fact]
    public void MissingValue_PointsAtTheOperator()
    {
        var error = Fails("status = ");
        Assert.Equal(7, error.Position);
        Assert.Equal("Expected a value after '=' at position 7", error.Message);
    }

    [Fact]
    public void KeywordAsValue_AsksForQuotes()
    {
        var error = Fails("name = or");
        Assert.Equal(5, error.Position);
        Assert.Contains("keyword 'or'; quote it", error.Message);
    }

    [Fact]
    public void UnclosedParenthesis_ReportsWhereItOpened()
    {
        var error = Fails("web and (db or (mac)");
        Assert.Equal(8, error.Position);
        Assert.Equal("Unclosed parenthesis opened at position 8", error.Message);
    }

    [Fact]
    public void StrayClosingParenthesis_IsReported()
    {
        var error = Fails("name = web)");
        Assert.Equal(10, error.Position);
        Assert.Contains("no parenthesis is open", error.Message);
    }

    [Fact]
    public void EmptyParentheses_AreRejected() => Assert.Equal(4, Fails("web (  )").Position);

    [Theory]
    [InlineData("name < 5", 5, "Operator '<' at position 5 needs a numeric field; 'name' is text")]
    [InlineData("status >= 2", 7, "Operator '>=' at position 7 needs a numeric field; 'status' is a status")]
    [InlineData("cpu_count ~ 4", 10, "Operator '~' at position 10 needs a text field; 'cpu_count' is numeric")]
    [InlineData("status !~ on", 7, "Operator '!~' at position 7 needs a text field; 'status' is a status")]
    [InlineData("has_error ^ (true)", 10, "Operator '^' at position 10 cannot be used with 'has_error'; use = or !=")]
    public void OperatorOnWrongFieldType_NamesTheFieldType(string query, int position, string message)
    {
        var error = Fails(query);
        Assert.Equal(position, error.Position);
        Assert.StartsWith(message, error.Message);
    }

    [Theory]
    [InlineData("cpu_count > many", 12, "Expected a whole number for 'cpu_count'")]
    [InlineData("cpu_count ^ (2, 4.5)", 16, "Expected a whole number for 'cpu_count'")]
    [InlineData("memory > 8XB", 9, "Expected a size such as 8GB")]
    [InlineData("memory > 99999999999999999999999999999TB", 9, "Expected a size such as 8GB")]
    [InlineData("status = up", 9, "Unknown status 'up' at position 9; statuses: online, offline, pending, rejected")]
    [InlineData("has_error = maybe", 12, "Expected true or false for 'has_error'")]
    public void BadValue_ReportsItsPosition(string query, int position, string message)
    {
        var error = Fails(query);
        Assert.Equal(position, error.Position);
        Assert.StartsWith(message, error.Message);
    }

    [Theory]
    [InlineData("name = \"web", 7, "Unclosed quote \" opened at position 7")]
    [InlineData("name = web#1", 10, "Unexpected character '#' at position 10")]
    [InlineData("web & db", 4, "Unexpected character '&' at position 4; did you mean '&&'?")]
    [InlineData("= web", 0, "Expected a field name before '=' at position 0")]
    [InlineData("name = web and", 14, "Expected a search term at position 14 but the query ended")]
    [InlineData("web or or db", 7, "Expected a search term at position 7 but found 'or'")]
    [InlineData("os ^ ()", 6, "Expected a value in the list at position 6 but found ')'")]
    [InlineData("os ^ (a, b", 5, "Unclosed list opened at position 5")]
    [InlineData("os ^ (a b)", 8, "Expected ',' or ')' in the list at position 8")]
    [InlineData("name = w*b", 8, "Wildcard '*' at position 8 is supported only at the start or end")]
    [InlineData("name = *web", 7, "Wildcard '*' at position 7 cannot end a match with '='")]
    [InlineData("os ^ (ubuntu*, debian)", 6, "Wildcard '*' at position 6 is not supported in a list")]
    public void SyntaxError_ReportsItsPosition(string query, int position, string message)
    {
        var error = Fails(query);
        Assert.Equal(position, error.Position);
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void NestingDeeperThanTheLimit_IsRejectedWithoutOverflowingTheStack()
    {
        var error = Fails(new string('(', 3000) + "web" + new string(')', 3000)[..900]);
        Assert.Equal(100, error.Position);
        Assert.Contains("nested more than 100 deep", error.Message);
    }

    [Fact]
    public void QueryLongerThanTheLimit_IsRejected()
    {
        Assert.NotNull(HostSearch.Parse(new string('a', HostSearch.MaxLength)));
        var error = Fails(new string('a', HostSearch.MaxLength + 1));
        Assert.Equal(HostSearch.MaxLength, error.Position);
        Assert.Contains("the limit is 4000", error.Message);
    }

    [Theory]
    [InlineData(1000, false)]
    [InlineData(1001, true)]
    public void LongNotChain_CancelsInPairs(int negations, bool expected)
    {
        var predicate = HostSearch.Parse(string.Concat(Enumerable.Repeat("! ", negations)) + "web").Compile();
        var now = DateTimeOffset.UnixEpoch;
        Assert.Equal(expected, predicate(new ManagedHost(Guid.NewGuid(), "m", "db-01", now)));
    }

    [Fact]
    public void ArbitraryInput_EitherParsesOrThrowsHostSearchException()
    {
        const string alphabet = "ab=!~^<>()\"',&|* \\9.GBnameotrusicp_-";
        var random = new Random(20261123);
        var parsed = 0;
        for (var i = 0; i < 3000; i++)
        {
            var query = new string(Enumerable.Range(0, random.Next(1, 40)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            try
            {
                Assert.NotNull(HostSearch.Parse(query));
                parsed++;
            }
            catch (HostSearchException error)
            {
                Assert.InRange(error.Position, 0, query.Length);
            }
        }
        Assert.True(parsed > 0, "The generator should produce some valid queries too.");
    }
}
