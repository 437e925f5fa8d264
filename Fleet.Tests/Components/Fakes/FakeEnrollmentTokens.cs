using Fleet.Web.Engine;

namespace Fleet.Tests.Components.Fakes;

public sealed class FakeEnrollmentTokens : IEnrollmentTokenAdmin
{
    public string NextToken { get; set; } = "fet_rotated_token_0123456789";
    public List<string> RotatedBy { get; } = [];
    private EnrollmentTokenInfo _info = new(false, null, null, null, true);

    public Task<EnrollmentTokenInfo> DescribeAsync(CancellationToken ct = default) => Task.FromResult(_info);

    public Task<string> RotateAsync(string by, CancellationToken ct = default)
    {
        RotatedBy.Add(by);
        _info = new EnrollmentTokenInfo(true, NextToken[..10], DateTimeOffset.UtcNow, by, true);
        return Task.FromResult(NextToken);
    }
}
