using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fleet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Api.Security;

/// <summary>Each request the issue's fuzzing found answering 500, as it was sent: now a 4xx in the family's shape.</summary>
public sealed class NoServerErrorTests : IClassFixture<NoServerErrorTests.Server>
{
    public sealed class Server : IDisposable
    {
        public FleetServer Fleet { get; } = new();
        public void Dispose() => Fleet.Dispose();
    }

    private readonly FleetServer _server;
    private readonly HttpClient _api;

    public NoServerErrorTests(Server fixture)
    {
        _server = fixture.Fleet;
        _api = _server.Api();
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _api.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task AssertClientErrorAsync(HttpMethod method, string path, string? json, params HttpStatusCode[] expected)
    {
        var (status, body) = await SendAsync(method, path, json);
        Assert.True(expected.Contains(status), $"{method} {path}: expected {string.Join("/", expected)}, got {(int)status} {body}");
        ApiErrorShapes.AssertShape(path, body);
    }

    [Theory]
    [InlineData("/api/v1/host/refresh/software/00000000-0000-0000-0000-000000000000")]
    [InlineData("/api/v1/host/00000000-0000-0000-0000-000000000000/update-hardware")]
    public async Task RefreshOfTheEmptyHostId_Answers404(string path)
    {
        await AssertClientErrorAsync(HttpMethod.Post, path, null, HttpStatusCode.NotFound);
        await using var db = _server.Db();
        Assert.Equal(0, await db.InventoryRequests.CountAsync());
    }

    [Fact]
    public async Task BulkHardwareUpdateOfTheEmptyHostId_SendsNothingAndSaysNotFound()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/v1/hosts/request-hardware-update",
            """{"host_ids": ["00000000-0000-0000-0000-000000000000"]}""");
        Assert.True(status == HttpStatusCode.OK, $"{(int)status} {body}");
        var answer = JsonDocument.Parse(body).RootElement;
        Assert.Equal(0, answer.GetProperty("requests_sent").GetInt32());
        Assert.Equal("not_found", answer.GetProperty("results")[0].GetProperty("status").GetString());
        await using var db = _server.Db();
        Assert.Equal(0, await db.InventoryRequests.CountAsync());
    }

    [Theory]
    [InlineData("status = \"\0\"")]
    [InlineData("description ~ \"a\0b\"")]
    [InlineData("owner != '\0'")]
    [InlineData("\0")]
    [InlineData("host = \"\0\"")]
    public async Task SearchValuesWithNul_AreParametersNotSqlText(string search)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, "/api/job_invocations?search=" + Uri.EscapeDataString(search));
        Assert.True(status == HttpStatusCode.OK, $"{(int)status} {body}");
        Assert.Equal(0, JsonDocument.Parse(body).RootElement.GetProperty("subtotal").GetInt32());
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("[\"a\", null]")]
    [InlineData("{\"name\": \"x\"}")]
    [InlineData("\"inputs\"")]
    public async Task TemplateInputsOfTheWrongType_Answer422(string inputs)
    {
        await AssertClientErrorAsync(HttpMethod.Post, "/api/job_templates",
            $$"""{ "job_template": { "name": "typed {{Guid.NewGuid():N}}", "template": "echo hi", "template_inputs": {{inputs}} } }""",
            HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task ConcurrentIdenticalTemplateCreates_MakeOneTemplateAndAnswer422ToTheRest()
    {
        var name = "race " + Guid.NewGuid().ToString("N");
        var json = $$"""{ "job_template": { "name": "{{name}}", "template": "echo <%= input('x') %>", "template_inputs": [{ "name": "x" }] } }""";
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => SendAsync(HttpMethod.Post, "/api/job_templates", json)));
        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.Created or HttpStatusCode.UnprocessableEntity, $"{(int)a.Status} {a.Body}"));
        Assert.Single(answers, a => a.Status == HttpStatusCode.Created);
        foreach (var rejected in answers.Where(a => a.Status != HttpStatusCode.Created)) ApiErrorShapes.AssertShape("/api/job_templates", rejected.Body);
        await using var db = _server.Db();
        Assert.Equal(1, await db.JobTemplates.CountAsync(t => t.Name == name));
    }

    [Fact]
    public async Task ConcurrentIdenticalBookmarkCreates_MakeOneBookmarkAndAnswer422ToTheRest()
    {
        var name = "race " + Guid.NewGuid().ToString("N");
        var json = $$"""{ "bookmark": { "name": "{{name}}", "query": "name ~ web", "controller": "hosts" } }""";
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => SendAsync(HttpMethod.Post, "/api/bookmarks", json)));
        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.Created or HttpStatusCode.UnprocessableEntity, $"{(int)a.Status} {a.Body}"));
        Assert.Single(answers, a => a.Status == HttpStatusCode.Created);
        await using var db = _server.Db();
        Assert.Equal(1, await db.Bookmarks.CountAsync(b => b.Name == name));
    }

    [Theory]
    [InlineData("/api/v1/fleet/broadcast/command", "{\"command\": ")]
    [InlineData("/api/v1/fleet/broadcast/command", "{\"command\": \"uptime\", \"hostnames\": [\"a\"], \"timeout\": 1e400}")]
    [InlineData("/api/v1/fleet/broadcast/command", "{\"command\": \"uptime\", \"hostnames\": [\"a\"], \"timeout\": 99999999999999999999}")]
    [InlineData("/api/job_invocations", "{\"job_invocation\": {\"job_template_id\": 1e400}}")]
    [InlineData("/api/job_invocations", "[")]
    [InlineData("/v0/stageruns/00000000-0000-0000-0000-000000000000/targetruns", "{\"target_id\": 12}")]
    [InlineData("/v0/stageruns/x/targetruns", "\"\\u0000\"")]
    public async Task MalformedOrOutOfRangeBodies_AnswerAClientError(string path, string json)
    {
        await AssertClientErrorAsync(HttpMethod.Post, path, json, HttpStatusCode.BadRequest, HttpStatusCode.NotFound, HttpStatusCode.UnprocessableEntity);
    }

    [Theory]
    [InlineData("/api/job_invocations?page=99999999999999999999")]
    [InlineData("/api/job_invocations?per_page=-1")]
    [InlineData("/api/job_invocations/1/hosts/00000000-0000-0000-0000-000000000000?since=1e400")]
    [InlineData("/v0/stageruns/00000000-0000-0000-0000-000000000000/targetruns?status=%00")]
    public async Task GarbageQueryValues_AnswerAClientError(string path)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, path);
        Assert.True((int)status is >= 400 and < 500, $"{path}: {(int)status} {body}");
        ApiErrorShapes.AssertShape(path, body);
    }
}
