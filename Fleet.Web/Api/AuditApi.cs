using System.Globalization;
using Fleet.Domain.Security;
using Fleet.Web.Audit;

using static Fleet.Web.Api.HostManagement.HostApiResults;

namespace Fleet.Web.Api;

/// <summary>The audit log for admins, in the host-management family's (seed 001) style: snake_case, <c>{"detail"}</c> errors.</summary>
public static class AuditApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/audit").RequireAuthorization(Roles.Admin).WithTags("Audit")
            .MapGet("", ListAudit).WithName("ListAuditRecords").WithSummary("State-changing actions, newest first");
        return app;
    }

    // Query values arrive as text so a malformed number is a 422 in this family's shape, not a framework 400.
    public static async Task<IResult> ListAudit(string? search, string? limit, string? offset, IAuditLog audit, CancellationToken ct)
    {
        var take = DefaultLimit;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > MaxLimit))
            return Invalid(["query", "limit"], $"limit must be a whole number from 1 to {MaxLimit}.");
        var skip = 0;
        if (!string.IsNullOrEmpty(offset) && !int.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out skip))
            return Invalid(["query", "offset"], "offset must be a whole number of 0 or more.");
        if (search is { Length: > 200 }) return Invalid(["query", "search"], "search must be at most 200 characters.");

        var page = await audit.SearchAsync(search, take, skip, ct);
        return Ok(new AuditListResponse(
            page.Items.Select(a => new AuditRecordDto(a.Id, ApiJson.Time(a.At), a.Actor, a.ActorKind, a.Source, a.Action, a.Target, a.Address,
                a.Outcome, a.StatusCode)).ToList(),
            page.Total, take, skip));
    }
}

public sealed record AuditRecordDto(long Id, string Timestamp, string Actor, string ActorKind, string Source, string Action, string Target,
    string Address, string Outcome, int? StatusCode);

public sealed record AuditListResponse(IReadOnlyList<AuditRecordDto> Entries, int Total, int Limit, int Offset);
