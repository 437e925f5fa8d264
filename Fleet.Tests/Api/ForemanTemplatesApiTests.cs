using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Api;

/// <summary>Job templates and bookmarks, which seed 002's job_template_id, feature and bookmark_id refer to.</summary>
public sealed class ForemanTemplatesApiTests : IDisposable
{
    private readonly FleetServer _server = new();
    private readonly HttpClient _api;

    public ForemanTemplatesApiTests() => _api = _server.Api();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task ListTemplates_IncludesTheBuiltInsWithTheirInputs()
    {
        var body = await _api.GetFromJsonAsync<JsonElement>("/api/job_templates");
        var runCommand = body.GetProperty("results").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "Run Command - Script Default");
        Assert.Equal("run_script", runCommand.GetProperty("feature").GetString());
        var input = runCommand.GetProperty("template_inputs")[0];
        Assert.Equal("command", input.GetProperty("name").GetString());
        Assert.True(input.GetProperty("required").GetBoolean());
        var show = await _api.GetFromJsonAsync<JsonElement>($"/api/job_templates/{runCommand.GetProperty("id").GetInt64()}");
        Assert.Equal("<%= input('command') %>", show.GetProperty("template").GetString());
    }

    [Fact]
    public async Task CreateTemplate_WithASensitiveInput_RunsAndNeverShowsTheValue()
    {
        var created = await _api.PostAsJsonAsync("/api/job_templates", new
        {
            job_template = new
            {
                name = "Greet with secret",
                job_category = "Tests",
                template = "echo hello <%= input('who') %> >/dev/null; test '<%= input('secret') %>' = \"$(echo cDRzcw== | base64 -d)\" && echo ok",
                description_format = "Greet %{who} using %{secret}",
                template_inputs = new object[]
                {
                    new { name = "who", required = true },
                    new { name = "secret", required = true, hidden_value = true },
                },
            },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var templateId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        await _server.StartAcceptedAgentAsync("tmpl-01");
        var job = await _api.PostAsJsonAsync("/api/job_invocations", new
        {
            job_invocation = new { job_template_id = templateId, targeting_type = "static_query", search_query = "name = tmpl-01", inputs = new { who = "world", secret = "p4ss" } },
        });
        var body = await job.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Created, job.StatusCode);
        Assert.Equal("Greet world using *****", body.GetProperty("description").GetString());
        var results = await _server.WaitForEndAsync(body.GetProperty("id").GetInt64());
        Assert.Equal("ok\n", results.Single().Stdout);
        var detail = await _server.Get<Fleet.Web.Engine.IInvocationService>().GetAsync(body.GetProperty("id").GetInt64());
        Assert.DoesNotContain("p4ss", detail!.Script);
    }

    [Fact]
    public async Task CreateTemplate_UsingAnUndefinedInput_Returns422()
    {
        var response = await _api.PostAsJsonAsync("/api/job_templates", new { job_template = new { name = "Broken", template = "echo <%= input('nope') %>" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("nope", (await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Bookmark_CanTargetAJob()
    {
        await _server.StartAcceptedAgentAsync("bm-01");
        var created = await _api.PostAsJsonAsync("/api/bookmarks", new { bookmark = new { name = "bm hosts", query = "name = bm-01", controller = "hosts", @public = true } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var bookmarkId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var job = await _api.PostAsJsonAsync("/api/job_invocations", new
        {
            job_invocation = new { feature = "run_script", targeting_type = "static_query", bookmark_id = bookmarkId, inputs = new { command = "echo via-bookmark" } },
        });
        Assert.Equal(HttpStatusCode.Created, job.StatusCode);
        var body = await job.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(bookmarkId, body.GetProperty("targeting").GetProperty("bookmark_id").GetInt64());
        Assert.Equal("via-bookmark\n", (await _server.WaitForEndAsync(body.GetProperty("id").GetInt64())).Single().Stdout);
        var list = await _api.GetFromJsonAsync<JsonElement>("/api/bookmarks");
        Assert.Equal("name = bm-01", list.GetProperty("results")[0].GetProperty("query").GetString());
    }
}
