namespace Fleet.Domain.Search;

/// <summary>A saved host search (Foreman's bookmark); jobs can target it by id.</summary>
public sealed class Bookmark
{
    private Bookmark() { }

    public Bookmark(string name, string query, string owner, bool isPublic)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 255) throw new DomainException("A bookmark needs a name of 1-255 characters.");
        if (string.IsNullOrWhiteSpace(query)) throw new DomainException("A bookmark needs a query.");
        Name = name.Trim();
        Query = query.Trim();
        Owner = owner;
        Public = isPublic;
    }

    public long Id { get; private set; }
    public string Name { get; private set; } = "";
    public string Query { get; private set; } = "";
    /// <summary>What the query searches; Fleet's bookmarks search hosts.</summary>
    public string Controller { get; private set; } = "hosts";
    public string Owner { get; private set; } = "";
    public bool Public { get; private set; }
}
