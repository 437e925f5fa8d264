using System.Security.Cryptography;
using System.Text;

namespace Fleet.Web.Engine;

/// <summary>
/// A one-process enrolment token for the agent the server starts for its own machine, so that host
/// is approved at once without turning on auto-approval for everyone.
/// </summary>
public sealed class LocalAgentIdentity
{
    public string EnrollmentToken { get; } = "local-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    public bool Matches(string? presented) =>
        presented is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(EnrollmentToken));
}
