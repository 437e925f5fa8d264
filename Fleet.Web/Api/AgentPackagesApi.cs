using Fleet.Domain;
using Fleet.Domain.Agents;
using Fleet.Domain.Security;
using Fleet.Web.Audit;
using Fleet.Web.Engine.AgentPackages;
using Fleet.Web.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

using static Fleet.Web.Api.HostManagement.HostApiResults;

namespace Fleet.Web.Api;

/// <summary>
/// Agent packages: the install script and the package files, anonymous (they hold no secret, and a machine being installed
/// has no token yet); listing for viewers; uploading a version and choosing the default for admins, in Fleet's own
/// non-seed style (snake_case, <c>{"detail"}</c> errors).
/// </summary>
public static class AgentPackagesApi
{
    public static IEndpointRouteBuilder MapAgentPackagesApi(this IEndpointRouteBuilder app)
    {
        var files = app.MapGroup("/agent").WithTags("Agent packages").AllowAnonymous();
        files.MapGet("/install.sh", GetInstallScript).WithName("GetAgentInstallScript")
            .WithSummary("The agent install script, with this server's address and default agent version as its defaults");
        files.MapGet("/packages/{version}/fleet-agent", DownloadPackage).WithName("DownloadAgentPackage")
            .WithSummary("One agent package: a single self-contained linux-x64 executable");
        files.MapGet("/packages/{version}/fleet-agent.sha256", GetPackageHash).WithName("GetAgentPackageHash")
            .WithSummary("The package's SHA-256, as sha256sum prints it");

        var api = app.MapGroup("/api/agent/packages").WithTags("Agent packages");
        api.MapGet("", ListPackages).RequireAuthorization(Roles.Viewer).WithName("ListAgentPackages")
            .WithSummary("Every agent package the server keeps, newest first");
        api.MapPost("", UploadPackage).RequireAuthorization(Roles.Admin).WithName("UploadAgentPackage")
            .WithSummary("Adds an agent package version (multipart form: 'version' and 'file')")
            // A token-only API route: no cookie can reach it, so there is no cross-site form to guard against.
            .DisableAntiforgery()
            .WithMetadata(new PackageSizeLimit());
        api.MapPost("/{version}/default", SetDefault).RequireAuthorization(Roles.Admin).WithName("SetDefaultAgentPackage")
            .WithSummary("Makes this version the one new installs get and plain updates go to");
        return app;
    }

    public static async Task<IResult> GetInstallScript(HttpRequest request, IAgentPackages packages, IOptions<AgentPackageOptions> options, CancellationToken ct)
    {
        var server = options.Value.PublicUrl ?? $"{request.Scheme}://{request.Host}{request.PathBase}";
        var defaultPackage = await packages.ForVersionTypeAsync(null, ct);
        return TypedResults.Text(InstallScript.Render(server, defaultPackage?.Version), InstallScript.ContentType);
    }

    public static async Task<IResult> DownloadPackage(string version, IAgentPackages packages, CancellationToken ct)
    {
        if (await packages.FindAsync(version, ct) is null || packages.FileOf(version) is not { } file)
            return TypedResults.Text($"There is no agent package {version}.", statusCode: StatusCodes.Status404NotFound);
        return TypedResults.PhysicalFile(file, "application/octet-stream", AgentPackageStore.FileName, enableRangeProcessing: true);
    }

    public static async Task<IResult> GetPackageHash(string version, IAgentPackages packages, CancellationToken ct) =>
        await packages.FindAsync(version, ct) is { } package
            ? TypedResults.Text($"{package.Sha256}  {AgentPackageStore.FileName}\n")
            : TypedResults.Text($"There is no agent package {version}.", statusCode: StatusCodes.Status404NotFound);

    public static async Task<IResult> ListPackages(IAgentPackages packages, CancellationToken ct)
    {
        var all = await packages.ListAsync(ct);
        return Ok(new AgentPackageListResponse(all.Select(Dto).ToList(), AgentPackagePaths.InstallScript));
    }

    public static async Task<IResult> UploadPackage(HttpRequest request, IAgentPackages packages, IAuditLog audit, IOptions<AgentPackageOptions> options,
        CancellationToken ct)
    {
        if (!request.HasFormContentType || request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) != true)
            return Error(StatusCodes.Status400BadRequest, "Send multipart/form-data with a 'version' field and the package as 'file'.");
        // The framework's default multipart limit (128 MB) is below a package's; this route's own limit applies instead.
        request.HttpContext.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions
        {
            MultipartBodyLengthLimit = options.Value.MaxPackageBytes,
            ValueCountLimit = 16,
        }));
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (InvalidDataException e)
        {
            return Error(StatusCodes.Status400BadRequest, $"The form could not be read: {e.Message}");
        }
        var version = form["version"].ToString();
        if (!AgentPackageStore.IsValidVersion(version))
            return Error(StatusCodes.Status400BadRequest, "'version' must be 1 to 64 letters, digits, '_', '-' or '.'.");
        if (form.Files.GetFile("file") is not { } file)
            return Error(StatusCodes.Status400BadRequest, "The package is missing: send it as the form's 'file'.");
        if (file.Length == 0) return Error(StatusCodes.Status400BadRequest, "An agent package cannot be empty.");
        AgentPackage added;
        try
        {
            await using var content = file.OpenReadStream();
            added = await packages.AddAsync(version, content, request.HttpContext.ActorName(), ct);
        }
        catch (DomainException e)
        {
            return Error(StatusCodes.Status400BadRequest, e.Message);
        }
        // The request's own audit record cannot name the version (it is in the body, which the audit never reads).
        await audit.RecordAsync(new AuditEntry(request.HttpContext.ActorName(), AuditActorKinds.Token, AuditSources.Api, "add agent package",
            $"version={added.Version}, sha256={added.Sha256}, size={added.SizeBytes}", ClientAddress.Of(request.HttpContext), AuditOutcomes.Success,
            StatusCodes.Status201Created));
        return TypedResults.Json(Dto(added), ApiJson.SnakeCase, statusCode: StatusCodes.Status201Created);
    }

    public static async Task<IResult> SetDefault(string version, HttpContext context, IAgentPackages packages, CancellationToken ct)
    {
        if (!AgentPackageStore.IsValidVersion(version))
            return Error(StatusCodes.Status400BadRequest, "A package version is 1 to 64 letters, digits, '_', '-' or '.'.");
        if (await packages.FindAsync(version, ct) is null) return NotFound($"There is no agent package {version}.");
        await packages.SetDefaultAsync(version, context.ActorName(), ct);
        return Ok(Dto((await packages.FindAsync(version, ct))!));
    }

    private static AgentPackageDto Dto(AgentPackage p) =>
        new(p.Version, p.Sha256, p.SizeBytes, p.IsDefault, ApiJson.Time(p.AddedAt), p.AddedBy, p.Ref.DownloadPath);

    /// <summary>This route alone takes bodies up to <see cref="AgentPackageOptions.MaxPackageBytes"/>; <see cref="RequestLimits"/> reads it.</summary>
    public sealed class PackageSizeLimit;
}

public sealed record AgentPackageDto(string Version, string Sha256, long SizeBytes, bool Default, string AddedAt, string AddedBy, string DownloadPath);

public sealed record AgentPackageListResponse(IReadOnlyList<AgentPackageDto> Packages, string InstallScript);
