using System.Net;
using System.Text;
using System.Text.Json;
using Fleet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Api.Security;

/// <summary>Body size (413) and field length (422 naming the field) limits, in each API family's own error shape.</summary>
public sealed class RequestLimitTests : IClassFixture<RequestLimitTests.Server>
{
    public sealed class Server : IDisposable
    {
        public FleetServer Fleet { get; } = new();
        public void Dispose() => Fleet.Dispose();
    }

    private const int OneMegabyte = 1024 * 1024;
    private readonly FleetServer _server;
    private readonly HttpClient _api;

    public RequestLimitTests(Server fixture)
    {
        _server = fixture.Fleet;
        _api = _server.Api();
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, string json, bool chunked = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        var bytes = Encoding.UTF8.GetBytes(json);
        request.Content = chunked ? new StreamContent(new MemoryStream(bytes)) : new ByteArrayContent(bytes);
        request.Content.Headers.ContentType = new("application/json");
        if (chunked) request.Headers.TransferEncodingChunked = true;
        // As curl does for large bodies: the server's 413 for a declared length then arrives before the body is sent.
        // Without it the answer races the upload, and a client still writing when the server closes sees a broken pipe.
        request.Headers.ExpectContinue = bytes.Length > 64 * 1024;
        using var response = await _api.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Padding(int bytes) => new('a', bytes);

    [Theory]
    [InlineData("/api/v1/fleet/broadcast/command", false)]
    [InlineData("/api/v1/fleet/broadcast/command", true)]
    [InlineData("/api/job_invocations", false)]
    [InlineData("/api/job_templates", true)]
    [InlineData("/api/bookmarks", false)]
    [InlineData("/v0/stageruns/00000000-0000-0000-0000-000000000000/targetruns", false)]
    [InlineData("/v0/stageruns/00000000-0000-0000-0000-000000000000/targetruns", true)]
    public async Task BodiesOverOneMegabyte_Answer413InTheFamilyShape(string path, bool chunked)
    {
        var json = $$"""{ "padding": "{{Padding(OneMegabyte)}}" }""";
        var (status, body) = await PostAsync(path, json, chunked);
        Assert.True(status == HttpStatusCode.RequestEntityTooLarge, $"{path}: {(int)status} {body[..Math.Min(200, body.Length)]}");
        ApiErrorShapes.AssertShape(path, body);
    }

    [Fact]
    public async Task BodyJustUnderTheLimit_IsRead()
    {
        var json = $$"""{ "job_template": { "name": "big {{Guid.NewGuid():N}}", "template": "echo hi", "description": "{{Padding(OneMegabyte - 300)}}" } }""";
        var (status, body) = await PostAsync("/api/job_templates", json);
        Assert.True(status != HttpStatusCode.RequestEntityTooLarge, body[..Math.Min(200, body.Length)]);
        Assert.True((int)status < 500, body);
    }

    private static IReadOnlyList<string> ForemanFieldErrors(string body, string field)
    {
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var list), $"no error for '{field}' in {body}");
        return list.EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    [Fact]
    public async Task TemplateNameOver255Characters_Answers422NamingTheField()
    {
        var name = new string('n', 256);
        var (status, body) = await PostAsync("/api/job_templates", $$"""{ "job_template": { "name": "{{name}}", "template": "echo hi" } }""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("255", ForemanFieldErrors(body, "name").Single());
        await using var db = _server.Db();
        Assert.False(await db.JobTemplates.AnyAsync(t => t.Name == name));
    }

    [Theory]
    [InlineData("job_category")]
    [InlineData("feature")]
    [InlineData("effective_user")]
    public async Task OtherTemplateNamesOver255Characters_Answer422NamingTheField(string field)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["job_template"] = new Dictionary<string, string> { ["name"] = "named " + Guid.NewGuid().ToString("N"), ["template"] = "echo hi", [field] = new string('c', 256) },
        });
        var (status, answer) = await PostAsync("/api/job_templates", body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("255", ForemanFieldErrors(answer, field).Single());
    }

    [Fact]
    public async Task TemplateNameOf255Characters_IsAccepted()
    {
        var name = Guid.NewGuid().ToString("N") + new string('n', 255 - 32);
        var (status, body) = await PostAsync("/api/job_templates", $$"""{ "job_template": { "name": "{{name}}", "template": "echo hi" } }""");
        Assert.True(status == HttpStatusCode.Created, body);
    }

    [Fact]
    public async Task TemplateOver256Kilobytes_Answers422NamingTheField()
    {
        var script = "echo " + Padding(256 * 1024);
        var (status, body) = await PostAsync("/api/job_templates", $$"""{ "job_template": { "name": "huge {{Guid.NewGuid():N}}", "template": "{{script}}" } }""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("262144", ForemanFieldErrors(body, "template").Single());
    }

    [Fact]
    public async Task BookmarkNameOver255Characters_Answers422NamingTheField()
    {
        var (status, body) = await PostAsync("/api/bookmarks", $$"""{ "bookmark": { "name": "{{new string('b', 300)}}", "query": "name ~ web" } }""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.NotEmpty(ForemanFieldErrors(body, "name"));
    }

    [Fact]
    public async Task JobInputOver64Kilobytes_Answers422NamingTheInput()
    {
        var (status, body) = await PostAsync("/api/job_invocations",
            $$"""{ "job_invocation": { "feature": "run_script", "targeting_type": "static_query", "search_query": "name ~ x", "inputs": { "command": "{{Padding(64 * 1024 + 1)}}" } } }""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("65536", ForemanFieldErrors(body, "inputs[command]").Single());
        await using var db = _server.Db();
        Assert.Equal(0, await db.Invocations.CountAsync());
    }

    [Theory]
    [InlineData("/api/v1/fleet/broadcast/command", """{"hostnames": ["a"], "command": "PAD"}""")]
    [InlineData("/api/v1/fleet/agent/nobody/command", """{"command": "PAD"}""")]
    public async Task HostCommandOver256Kilobytes_Answers422WithTheFieldInLoc(string path, string template)
    {
        var (status, body) = await PostAsync(path, template.Replace("PAD", "echo " + Padding(256 * 1024)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var detail = JsonDocument.Parse(body).RootElement.GetProperty("detail")[0];
        Assert.Equal(["body", "command"], detail.GetProperty("loc").EnumerateArray().Select(e => e.GetString()!).ToArray());
    }

    [Fact]
    public async Task StageRunCommandScriptOver256Kilobytes_Answers422InTheEnvelope()
    {
        var (status, body) = await PostAsync("/v0/stageruns/00000000-0000-0000-0000-000000000000/targetruns/00000000-0000-0000-0000-000000000000/command",
            $$"""{ "script": "echo {{Padding(256 * 1024)}}" }""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal(422, root.GetProperty("code").GetInt32());
        Assert.Contains("script", root.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("device_name")]
    [InlineData("device_alias")]
    public async Task TargetRunNamesOver255Characters_Answer422NamingTheField(string field)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["target_id"] = "00000000-0000-0000-0000-000000000000",
            [field] = new string('d', 256),
        });
        var (status, answer) = await PostAsync("/v0/stageruns/00000000-0000-0000-0000-000000000000/targetruns", body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.StartsWith(field, JsonDocument.Parse(answer).RootElement.GetProperty("message").GetString());
    }
}
