namespace Fleet.Web.Components.Controls;

/// <summary>Which accounts a Users or Groups list shows.</summary>
public enum AccountKind
{
    All,
    People,
    System,
}

public static class AccountKindExtensions
{
    public static bool Admits(this AccountKind kind, bool isPerson) => kind switch
    {
        AccountKind.People => isPerson,
        AccountKind.System => !isPerson,
        _ => true,
    };
}
