using Fleet.Web.Engine;

namespace Fleet.Tests.Engine.Execution;

public sealed class OutputGroupTests
{
    [Fact]
    public void Group_SameOutputFromRunsThatEndedDifferently_IsOneGroup()
    {
        var groups = OutputGroup.Group(
        [
            (new GroupedHost("db-1", "running", null), ""),
            (new GroupedHost("web-2", "success", 0), "ready\n"),
            (new GroupedHost("web-1", "success", 0), "ready\n"),
            (new GroupedHost("web-3", "failure", 3), "ready\n"),
            (new GroupedHost("db-2", "pending", null), ""),
        ]);

        Assert.Equal(["ready\n", ""], groups.Select(g => g.OutputSample));
        Assert.Equal(["web-3", "web-1", "web-2"], groups[0].Hosts.Select(h => h.Hostname));
        Assert.Equal([("failure", (int?)3), ("success", 0), ("success", 0)], groups[0].Hosts.Select(h => (h.Status, h.ExitCode)));
        Assert.Equal(2, groups[1].HostCount);
    }

    [Fact]
    public void Group_LongOutput_IsCutInTheSample()
    {
        var group = Assert.Single(OutputGroup.Group([(new GroupedHost("a", "success", 0), new string('x', 30))], sampleLength: 10));
        Assert.Equal(new string('x', 10) + "…", group.OutputSample);
    }
}
