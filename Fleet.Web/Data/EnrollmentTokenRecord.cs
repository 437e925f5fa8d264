namespace Fleet.Web.Data;

/// <summary>
/// The enrolment token an admin rotated from Settings, stored hashed. While a row exists it replaces
/// <c>Fleet:Agents:EnrollmentToken</c>; only the newest row counts.
/// </summary>
public sealed class EnrollmentTokenRecord
{
    public Guid Id { get; set; }
    public string Hash { get; set; } = "";
    /// <summary>First characters of the token, so an admin can tell which one agents were given.</summary>
    public string Prefix { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
}
