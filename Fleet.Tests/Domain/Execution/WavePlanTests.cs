using Fleet.Domain;
using Fleet.Domain.Execution;

namespace Fleet.Tests.Domain.Execution;

public sealed class WavePlanTests
{
    [Theory]
    [InlineData("1, 10%, rest", 100, new[] { 1, 10, 89 })]
    [InlineData("1, 10%, rest", 5, new[] { 1, 1, 3 })]
    [InlineData("1, 10%, rest", 1, new[] { 1 })]
    [InlineData("50%, 50%", 3, new[] { 2, 1 })]
    [InlineData("2, 2", 7, new[] { 2, 2, 3 })]
    [InlineData("", 4, new[] { 4 })]
    [InlineData("rest", 0, new int[0])]
    public void Split_CoversEveryTargetOnce(string plan, int targets, int[] expected)
    {
        var waves = WavePlan.Parse(plan).Split(targets);
        Assert.Equal(expected, waves);
        Assert.Equal(targets, waves.Sum());
    }

    [Theory]
    [InlineData("rest, 1")]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("150%")]
    [InlineData("ten")]
    public void Parse_RejectsBadWaves(string plan) => Assert.Throws<DomainException>(() => WavePlan.Parse(plan));

    [Theory]
    [InlineData("3", 2, 100, false)]
    [InlineData("3", 3, 100, true)]
    [InlineData("10%", 9, 100, false)]
    [InlineData("10%", 10, 100, true)]
    [InlineData("10%", 1, 5, true)]
    [InlineData("0%", 0, 5, false)]
    [InlineData("0", 1, 5, true)]
    public void FailureThreshold_IsReachedAtItsCountOrPercentage(string threshold, int failed, int targets, bool reached) =>
        Assert.Equal(reached, FailureThreshold.Parse(threshold)!.IsReached(failed, targets));

    [Fact]
    public void FailureThreshold_RejectsNonsense() => Assert.Throws<DomainException>(() => FailureThreshold.Parse("lots"));
}
