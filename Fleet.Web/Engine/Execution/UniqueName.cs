using Fleet.Domain;
using Fleet.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Engine.Execution;

/// <summary>
/// A name that must be unique (templates, bookmarks) is refused on its field as "has already been taken":
/// by the check before saving, or by the unique index when two saves race past that check.
/// </summary>
internal static class UniqueName
{
    public static DomainException Taken(string field) => new("has already been taken", field);

    public static async Task SaveAsync(FleetDbContext db, string field, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException race) when (DbErrors.IsUniqueViolation(race))
        {
            throw Taken(field);
        }
    }
}
