using Fleet.Domain.Search;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Domain.Search;

/// <summary>What each part of the language matches, checked by running the predicate through EF Core on SQLite.</summary>
public sealed class HostSearchQueryTests(SearchDatabase database) : IClassFixture<SearchDatabase>
{
    /// <summary>
    /// The hostnames SQLite returns, sorted. Also checks the compiled predicate agrees in memory, so the
    /// SQL translation cannot quietly mean something else than the expression.
    /// </summary>
    private string[] Search(string? query)
    {
        var predicate = HostSearch.Parse(query);
        using var db = database.CreateContext();
        var fromSql = db.Hosts.Where(predicate).Select(h => h.Hostname).ToList().Order(StringComparer.Ordinal).ToArray();
        var inMemory = database.Hosts.Where(predicate.Compile()).Select(h => h.Hostname).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(inMemory, fromSql);
        return fromSql;
    }

    private void AssertMatches(string query, params string[] expected) =>
        Assert.Equal(expected.Order(StringComparer.Ordinal).ToArray(), Search(query));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  \t ")]
    public void EmptyQuery_MatchesEveryHost(string? query) =>
        Assert.Equal(database.Hosts.Select(h => h.Hostname).Order(StringComparer.Ordinal), Search(query));

    [Theory]
    [InlineData("name = win-build", "WIN-BUILD")]
    [InlineData("name = WEB-01", "web-01")]
    [InlineData("name = web")]
    public void Equal_IsExactButIgnoresCase(string query, params string[] expected) => AssertMatches(query, expected);

    [Fact]
    public void NotEqual_ExcludesTheValue() => AssertMatches("platform != LINUX", "WIN-BUILD", "mac-mini");

    [Fact]
    public void Contains_MatchesPartOfTheValueIgnoringCase() => AssertMatches("cpu_model ~ XEON", "web-01", "web-02");

    [Fact]
    public void NotContains_ExcludesHostsContainingTheValue() => AssertMatches("os !~ ubuntu", "db-01", "WIN-BUILD", "mac-mini");

    [Fact]
    public void In_MatchesAnyListedValue() =>
        AssertMatches("os_version ^ (\"Ubuntu 24.04\", 'DEBIAN 12', macos)", "web-01", "db-01");

    [Fact]
    public void In_AcceptsASingleValueWithoutParentheses() => AssertMatches("platform ^ windows", "WIN-BUILD");

    [Fact]
    public void NotIn_ExcludesEveryListedValue() => AssertMatches("platform !^ (linux, darwin)", "WIN-BUILD");

    [Theory]
    [InlineData("cpu_count > 4", "db-01", "WIN-BUILD", "mac-mini")]
    [InlineData("cpu_count >= 8", "db-01", "WIN-BUILD", "mac-mini")]
    [InlineData("cpu_count < 4", "web-02")]
    [InlineData("cpu_count <= 4", "web-01", "web-02")]
    [InlineData("cpu_count = 8", "WIN-BUILD", "mac-mini")]
    [InlineData("cpu_count != 8", "web-01", "web-02", "db-01")]
    [InlineData("cpu_count ^ (2, 16)", "web-02", "db-01")]
    [InlineData("cpu_count !^ (2, 16)", "web-01", "WIN-BUILD", "mac-mini")]
    public void NumericOperators_CompareCpuCount(string query, params string[] expected) => AssertMatches(query, expected);

    [Theory]
    [InlineData("memory = 8589934592", "web-01")]
    [InlineData("memory >= 16GB", "db-01", "WIN-BUILD", "mac-mini")]
    [InlineData("memory < 8192MB", "web-02")]
    [InlineData("memory <= 16g", "web-01", "web-02", "mac-mini")]
    [InlineData("memory = \"4 GB\"", "web-02")]
    [InlineData("memory = 33554432KiB", "WIN-BUILD")]
    [InlineData("memory > 0.5tb")]
    [InlineData("memory = 0.0625TB", "db-01")]
    [InlineData("memory ^ (4GB, 64GB)", "web-02", "db-01")]
    public void Memory_AcceptsBinarySizeSuffixes(string query, params string[] expected) => AssertMatches(query, expected);

    [Theory]
    [InlineData("status = online", "web-01", "db-01")]
    [InlineData("status = OFFLINE", "web-02")]
    [InlineData("status = pending", "WIN-BUILD")]
    [InlineData("status = rejected", "mac-mini")]
    [InlineData("status != online", "web-02", "WIN-BUILD", "mac-mini")]
    [InlineData("status ^ (pending, rejected)", "WIN-BUILD", "mac-mini")]
    public void Status_OnlineAndOfflineCoverApprovedHostsOnly(string query, params string[] expected) => AssertMatches(query, expected);

    [Theory]
    [InlineData("has_error = true", "web-02", "mac-mini")]
    [InlineData("has_error = FALSE", "web-01", "db-01", "WIN-BUILD")]
    [InlineData("has_error != true", "web-01", "db-01", "WIN-BUILD")]
    public void HasError_TestsForAReportedError(string query, params string[] expected) => AssertMatches(query, expected);

    [Theory]
    [InlineData("hostname = db-01")]
    [InlineData("NAME = db-01")]
    [InlineData("os ~ debian")]
    [InlineData("OS_Version ~ debian")]
    [InlineData("ip = 10.0.1.5")]
    [InlineData("ip_address = 10.0.1.5")]
    [InlineData("kernel ~ amd64")]
    [InlineData("kernel_version ~ amd64")]
    public void Fields_AcceptAliasesInAnyCase(string query) => AssertMatches(query, "db-01");

    [Fact]
    public void AgentVersion_And_CpuModel_AreSearchable() =>
        AssertMatches("agent_version = 1.2.0 and cpu_model ~ epyc", "db-01", "WIN-BUILD");

    [Theory]
    // and binds tighter than or: windows or (darwin and cpu_count > 8).
    [InlineData("platform = windows or platform = darwin and cpu_count > 8", "WIN-BUILD")]
    [InlineData("(platform = windows or platform = darwin) and cpu_count >= 8", "WIN-BUILD", "mac-mini")]
    // not binds tighter than and: (not linux) and cpu_count = 8.
    [InlineData("not platform = linux and cpu_count = 8", "WIN-BUILD", "mac-mini")]
    [InlineData("not (platform = linux and cpu_count = 4)", "web-02", "db-01", "WIN-BUILD", "mac-mini")]
    [InlineData("platform = linux && !(cpu_count > 2) || name = mac-mini", "web-02", "mac-mini")]
    [InlineData("not not status = online", "web-01", "db-01")]
    [InlineData("platform = WINDOWS OR platform = darwin AND NOT has_error = true", "WIN-BUILD")]
    public void Precedence_NotBindsTighterThanAnd_AndTighterThanOr(string query, params string[] expected) => AssertMatches(query, expected);

    [Theory]
    [InlineData("platform = linux cpu_count > 2", "web-01", "db-01")]
    [InlineData("web 02", "web-02")]
    [InlineData("status = online not name = db-01", "web-01")]
    public void AdjacentTerms_AreJoinedByAnd(string query, params string[] expected) => AssertMatches(query, expected);

    [Theory]
    [InlineData("web", "web-01", "web-02")]
    [InlineData("BUILD", "WIN-BUILD")]
    [InlineData("'mac-'", "mac-mini")]
    [InlineData("not web", "db-01", "WIN-BUILD", "mac-mini")]
    public void BareTerm_SearchesHostnames(string query, params string[] expected) => AssertMatches(query, expected);

    [Theory]
    [InlineData("os = 'Windows Server 2022'", "WIN-BUILD")]
    [InlineData("cpu_model ~ \"m2 \\\"pro\\\"\"", "mac-mini")]
    [InlineData("cpu_model ~ 'M2 \"Pro\"'", "mac-mini")]
    [InlineData("os = \"ubuntu\"")]
    public void QuotedValues_KeepSpacesAndEscapedQuotes(string query, params string[] expected) => AssertMatches(query, expected);

    [Theory]
    [InlineData("name = web*", "web-01", "web-02")]
    [InlineData("name = *-0*", "web-01", "web-02", "db-01")]
    [InlineData("name ~ *build", "WIN-BUILD")]
    [InlineData("name = \"web*\"")]
    public void Wildcards_InBareValuesMatchPrefixOrAnywhere(string query, params string[] expected) => AssertMatches(query, expected);

    [Fact]
    public void Values_AreSentAsSqlParameters()
    {
        using var db = database.CreateContext();
        var text = db.Hosts.Where(HostSearch.Parse("name = 'unusual-hostname' and cpu_count > 31337")).ToQueryString();
        // ToQueryString lists parameter values before the statement; only the statement must not hold them.
        var sql = text[text.IndexOf("SELECT", StringComparison.Ordinal)..];
        Assert.DoesNotContain("unusual-hostname", sql);
        Assert.DoesNotContain("31337", sql);
        Assert.Contains("@", sql);
    }

    [Fact]
    public void QuoteInValue_IsMatchedLiterally() => AssertMatches("name = \"x' or 1=1 --\" or name ~ \"'\"");

    [Fact]
    public void LongOrChain_StillTranslates()
    {
        var query = string.Join(" or ", Enumerable.Range(0, 250).Select(i => $"name = h{i}")) + " or name = db-01";
        Assert.True(query.Length <= HostSearch.MaxLength);
        AssertMatches(query, "db-01");
    }

    [Fact]
    public void HundredNestedParentheses_StillTranslate() =>
        AssertMatches(new string('(', 100) + "name = db-01" + new string(')', 100), "db-01");
}
