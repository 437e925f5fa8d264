using Fleet.Domain.Execution;
using Fleet.Domain.Operations;

namespace Fleet.Tests.Domain.Operations;

public sealed class DeviceStatusTests
{
    private const string HealthOutput =
        """
        ::tasks 3
        ::task checking_disk_space
        ::check disk_space:/ fail 91% used (threshold 85%)
        ::check disk_space:/boot pass 20% used (threshold 85%)
        some other output
        ::task checking_memory_usage
        ::check memory_usage warn 87% used (threshold 90%)
        ::task checking_network_connectivity
        """;

    [Fact]
    public void Of_Running_CountsTheTasksThatFinished_AndNamesTheCurrentOne()
    {
        var status = DeviceStatus.Of(TargetRunStatus.Running, OperationOutput.Parse(HealthOutput), retryFollows: false);

        Assert.Equal("running", status.Status);
        Assert.Equal(new OperationDetails(3, 2, "checking_network_connectivity"), status.Details);
        Assert.Equal(67, status.Progress);
    }

    [Fact]
    public void Parse_ChecksGiveTheHealthVerdict()
    {
        var output = OperationOutput.Parse(HealthOutput);

        Assert.Equal(3, output.Checks.Count);
        Assert.Equal(new CheckResult("disk_space:/", CheckOutcome.Fail, "91% used (threshold 85%)"), output.Checks[0]);
        Assert.Equal("unhealthy", output.HealthStatus);
        Assert.Equal("degraded", OperationOutput.Parse("::check a pass x\n::check b warn y").HealthStatus);
        Assert.Equal("healthy", OperationOutput.Parse("::check a pass x").HealthStatus);
        Assert.Equal("unhealthy", OperationOutput.Parse("no checks at all").HealthStatus);
    }

    [Theory]
    [InlineData(null, false, "scheduled", 0)]
    [InlineData(TargetRunStatus.Queued, false, "pending", 0)]
    [InlineData(TargetRunStatus.Dispatched, false, "running", 0)]
    [InlineData(TargetRunStatus.Success, false, "completed", 100)]
    [InlineData(TargetRunStatus.Failure, false, "failed", 100)]
    [InlineData(TargetRunStatus.Failure, true, "pending", 0)]
    [InlineData(TargetRunStatus.Timeout, false, "failed", 100)]
    [InlineData(TargetRunStatus.Cancelled, false, "cancelled", 100)]
    public void Of_ProjectsTargetRunStatuses(TargetRunStatus? run, bool retryFollows, string expected, int progress)
    {
        var status = DeviceStatus.Of(run, OperationOutput.Parse(""), retryFollows);

        Assert.Equal(expected, status.Status);
        Assert.Equal(progress, status.Progress);
    }
}
