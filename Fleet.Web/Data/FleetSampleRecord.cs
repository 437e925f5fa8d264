namespace Fleet.Web.Data;

/// <summary>
/// How many hosts were online at one moment, taken every few minutes: the history behind the overview's
/// "hosts online over the last 24 hours" chart (the hosts table only knows the present).
/// </summary>
public sealed class FleetSampleRecord
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public int Total { get; set; }
    public int Online { get; set; }
}
