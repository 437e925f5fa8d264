namespace Fleet.Domain.Security;

/// <summary>Roles shared by dashboard users and API tokens. Each role includes the ones below it.</summary>
public static class Roles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Viewer, Operator, Admin];

    public static bool IsKnown(string role) => All.Contains(role);

    /// <summary>The role names a holder of <paramref name="role"/> also counts as, for policy checks.</summary>
    public static IReadOnlyList<string> Implied(string role) => role switch
    {
        Admin => [Admin, Operator, Viewer],
        Operator => [Operator, Viewer],
        Viewer => [Viewer],
        _ => [],
    };
}
