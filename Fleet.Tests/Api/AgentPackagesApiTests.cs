using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Fleet.Tests.Api.Security;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine.AgentPackages;

namespace Fleet.Tests.Api;

/// <summary>
/// /api/agent/packages (list, upload, default) and the anonymous /agent routes: install.sh and the package files.
/// </summary>
public sealed class AgentPackagesApiTests : IDisposable
{
    private readonly FleetServer _server = new();
    private readonly HttpClient _admin;

    public AgentPackagesApiTests() => _admin = _server.Api();

    public void Dispose()
    {
        _admin.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task Upload_AddsTheVersion_ListedWithHashSizeAndUploader_AndAnyoneCanDownloadTheSameBytes()
    {
        // Larger than every other route's 1 MB limit: this route has its own.
        var bytes = RandomNumberGenerator.GetBytes(2_500_000);

        using var response = await UploadAsync("7.0.1", bytes);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var listed = (await _admin.GetFromJsonAsync<JsonElement>("/api/agent/packages")).GetProperty("packages").EnumerateArray()
            .Single(p => p.GetProperty("version").GetString() == "7.0.1");
        Assert.Equal(sha, listed.GetProperty("sha256").GetString());
        Assert.Equal(bytes.Length, listed.GetProperty("size_bytes").GetInt64());
        Assert.Equal("bootstrap admin token", listed.GetProperty("added_by").GetString());
        Assert.Equal("/agent/packages/7.0.1/fleet-agent", listed.GetProperty("download_path").GetString());

        using var anonymous = _server.Api(token: null);
        Assert.Equal(bytes, await anonymous.GetByteArrayAsync("/agent/packages/7.0.1/fleet-agent"));
        Assert.Equal($"{sha}  fleet-agent\n", await anonymous.GetStringAsync("/agent/packages/7.0.1/fleet-agent.sha256"));
        var audit = await Eventually.Until(() => _admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?search=add%20agent%20package"),
            a => a.GetProperty("entries").GetArrayLength() > 0, "the upload's audit record");
        Assert.Contains($"version=7.0.1, sha256={sha}", audit.GetProperty("entries")[0].GetProperty("target").GetString());
    }

    [Fact]
    public async Task Upload_BadInput_Answers400InTheDetailShape_AndAddsNothing()
    {
        using (var first = await UploadAsync("1.2.3", [1, 2, 3])) Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var before = await VersionsAsync();

        var answers = new List<(string What, HttpResponseMessage Response)>
        {
            ("json", await _admin.PostAsJsonAsync("/api/agent/packages", new { version = "2.0.0" })),
            ("bad version", await UploadAsync("../../etc", [1])),
            ("empty version", await UploadAsync("", [1])),
            ("empty file", await UploadAsync("2.0.0", [])),
            ("duplicate", await UploadAsync("1.2.3", [9, 9])),
            ("no file", await _admin.PostAsync("/api/agent/packages", new MultipartFormDataContent { { new StringContent("2.0.1"), "version" } })),
        };

        foreach (var (what, response) in answers)
        {
            using var _ = response;
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode} {body}");
            ApiErrorShapes.AssertShape("/api/agent/packages", body);
        }
        Assert.Equal(before, await VersionsAsync());
    }

    [Fact]
    public async Task SetDefault_ChangesWhatInstallShInstalls_AndAnUnknownVersionIs404()
    {
        using (var upload = await UploadAsync("3.1.4", [3, 1, 4])) Assert.Equal(HttpStatusCode.Created, upload.StatusCode);

        using var set = await _admin.PostAsync("/api/agent/packages/3.1.4/default", null);
        using var unknown = await _admin.PostAsync("/api/agent/packages/9.9.9/default", null);

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.True((await set.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("default").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        ApiErrorShapes.AssertShape("/api/agent/packages/9.9.9/default", await unknown.Content.ReadAsStringAsync());
        using var anonymous = _server.Api(token: null);
        Assert.Contains("FLEET_DEFAULT_VERSION='3.1.4'", await anonymous.GetStringAsync("/agent/install.sh"));
    }

    [Fact]
    public async Task InstallScript_IsServedAnonymously_AsAShellScript_WithThisServerAsDefault_AndParsesInDash()
    {
        using var anonymous = _server.Api(token: null);

        using var response = await anonymous.GetAsync("/agent/install.sh");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(InstallScript.ContentType, response.Content.Headers.ContentType?.MediaType);
        var script = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("#!/bin/sh", script);
        Assert.Contains($"FLEET_DEFAULT_SERVER='{_server.Address.ToString().TrimEnd('/')}'", script);
        Assert.DoesNotContain("@@", script);
        var file = Path.Combine(_server.DataDirectory, "install.sh");
        await File.WriteAllTextAsync(file, script);
        var (code, output) = await InstalledAgent.RunAsync("dash", "-n", file);
        Assert.True(code == 0, output);
    }

    [Fact]
    public void InstallScript_LeavesOutAServerAddressItCannotQuoteSafely()
    {
        Assert.Contains("FLEET_DEFAULT_SERVER=''", InstallScript.Render("http://evil'$(reboot)'", "1.0.0"));
        Assert.Contains("FLEET_DEFAULT_VERSION=''", InstallScript.Render("http://fleet:5000", "1.0.0'; reboot; '"));
        Assert.Contains("FLEET_DEFAULT_SERVER='https://fleet.example:8443/base'", InstallScript.Render("https://fleet.example:8443/base/", "1.0.0"));
    }

    [Fact]
    public async Task APackageFile_OfAnUnknownVersion_Is404()
    {
        using var anonymous = _server.Api(token: null);

        using var package = await anonymous.GetAsync("/agent/packages/0.0.404/fleet-agent");
        using var hash = await anonymous.GetAsync("/agent/packages/0.0.404/fleet-agent.sha256");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (package.StatusCode, hash.StatusCode));
    }

    [Fact]
    public async Task TheAgentBuiltWithTheServer_IsListedAsTheDefault_WithFleetsVersion()
    {
        var packages = (await _admin.GetFromJsonAsync<JsonElement>("/api/agent/packages")).GetProperty("packages").EnumerateArray().ToList();

        var builtIn = Assert.Single(packages, p => p.GetProperty("added_by").GetString() == BuiltInAgentPackage.AddedBy);
        Assert.Equal(InstallScript.FleetVersion, builtIn.GetProperty("version").GetString());
        Assert.True(builtIn.GetProperty("default").GetBoolean());
        using var anonymous = _server.Api(token: null);
        var bytes = await anonymous.GetByteArrayAsync($"/agent/packages/{InstallScript.FleetVersion}/fleet-agent");
        Assert.Equal(builtIn.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        // An ELF executable, not a placeholder.
        Assert.Equal("\u007fELF"u8.ToArray(), bytes[..4]);
    }

    private async Task<HttpResponseMessage> UploadAsync(string version, byte[] bytes)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await _admin.PostAsync("/api/agent/packages", new MultipartFormDataContent
        {
            { new StringContent(version), "version" },
            { file, "file", "fleet-agent" },
        });
    }

    private async Task<List<string>> VersionsAsync() =>
        (await _admin.GetFromJsonAsync<JsonElement>("/api/agent/packages")).GetProperty("packages").EnumerateArray()
            .Select(p => p.GetProperty("version").GetString()!).ToList();
}
