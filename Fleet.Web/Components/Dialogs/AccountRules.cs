namespace Fleet.Web.Components.Dialogs;

/// <summary>
/// Early feedback in the dialogs. The account service validates again and its message wins;
/// these only save a round trip for the obvious mistakes.
/// </summary>
public static class AccountRules
{
    public const int MinPasswordLength = 8;

    public static string? UsernameError(string? username)
    {
        var value = username?.Trim() ?? "";
        if (value.Length is < 3 or > 64) return "Use 3 to 64 characters.";
        if (!value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            return "Use letters, digits, '.', '_' or '-'.";
        return null;
    }

    public static string? PasswordError(string? password) =>
        (password?.Length ?? 0) < MinPasswordLength ? $"Use at least {MinPasswordLength} characters." : null;

    public static string? TokenNameError(string? name)
    {
        var value = name?.Trim() ?? "";
        return value.Length is < 1 or > 100 ? "Use 1 to 100 characters." : null;
    }
}
