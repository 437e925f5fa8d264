using Microsoft.EntityFrameworkCore;

namespace Fleet.Web.Data;

/// <summary>
/// What a write batch has already added or loaded, read without a change-detection pass. <c>DbSet.Local</c> and
/// <c>ChangeTracker.Entries()</c> compare every property of every tracked entity first; called once per item of a
/// 200-item batch holding whole inventories that made enrolment quadratic (16 s of 37 in a profile on PostgreSQL).
/// Skipping detection is safe here: it only updates Modified states, and these lookups match on values fixed at
/// creation and on the Added/Deleted states, which are set explicitly.
/// </summary>
public static class TrackedEntities
{
    public static IReadOnlyList<T> Tracked<T>(this DbContext db, EntityState? state = null) where T : class
    {
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return db.ChangeTracker.Entries<T>()
                .Where(e => state is null ? e.State is not (EntityState.Deleted or EntityState.Detached) : e.State == state)
                .Select(e => e.Entity)
                .ToList();
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }
}
