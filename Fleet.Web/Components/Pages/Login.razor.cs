using Microsoft.AspNetCore.Components;

namespace Fleet.Web.Components.Pages;

public sealed partial class Login
{
    // Query names bind case-insensitively, so this takes both the cookie handler's "ReturnUrl"
    // and our own "returnUrl".
    [SupplyParameterFromQuery(Name = "returnUrl")]
    public string? ReturnUrl { get; set; }

    [SupplyParameterFromQuery(Name = "error")]
    public string? Error { get; set; }

    private bool ShowError => Error == "1";

    [SupplyParameterFromQuery(Name = "changed")]
    public string? Changed { get; set; }

    private bool ShowPasswordChanged => Changed == "1" && !ShowError;

    private string SafeReturnUrl => IsLocal(ReturnUrl) ? ReturnUrl! : "/overview";

    // Only same-site paths: "//host" and "/\host" are read by browsers as other sites.
    internal static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url)
        && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
