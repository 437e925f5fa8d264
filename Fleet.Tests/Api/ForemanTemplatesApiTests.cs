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

    private async Task<long> CreateTemplateAsync(string name)
    {
        var created = await _api.PostAsJsonAsync("/api/job_templates", new
        {
            job_template = new { name, template = "echo <%= input('what') %>", template_inputs = new object[] { new { name = "what", required = true } } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task UpdateTemplate_ReplacesIt_AndATakenName_Returns422OnName()
    {
        var id = await CreateTemplateAsync("Echo");
        await CreateTemplateAsync("Other echo");
        var updated = await _api.PutAsJsonAsync($"/api/job_templates/{id}", new { job_template = new { name = "Echo twice", template = "echo hi; echo hi" } });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var shown = await _api.GetFromJsonAsync<JsonElement>($"/api/job_templates/{id}");
        Assert.Equal(("Echo twice", "echo hi; echo hi"), (shown.GetProperty("name").GetString(), shown.GetProperty("template").GetString()));
        Assert.Equal(0, shown.GetProperty("template_inputs").GetArrayLength());

        var taken = await _api.PutAsJsonAsync($"/api/job_templates/{id}", new { job_template = new { name = "Other echo", template = "echo" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, taken.StatusCode);
        Assert.True((await taken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("errors").TryGetProperty("name", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PutAsJsonAsync("/api/job_templates/987654", new { job_template = new { name = "x", template = "echo" } })).StatusCode);
    }

    [Fact]
    public async Task CloneTemplate_CopiesItUnderTheNewName()
    {
        var id = await CreateTemplateAsync("Say");
        var cloned = await _api.PostAsJsonAsync($"/api/job_templates/{id}/clone", new { job_template = new { name = "Say copy" } });
        Assert.Equal(HttpStatusCode.Created, cloned.StatusCode);
        var copy = await cloned.Content.ReadFromJsonAsync<JsonElement>();
        Assert.NotEqual(id, copy.GetProperty("id").GetInt64());
        Assert.Equal("echo <%= input('what') %>", copy.GetProperty("template").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await _api.PostAsJsonAsync($"/api/job_templates/{id}/clone", new { job_template = new { name = "Say" } })).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await _api.PostAsJsonAsync($"/api/job_templates/{id}/clone", new { job_template = new { } })).StatusCode);
    }

    [Fact]
    public async Task DeleteTemplate_IsRefusedWhileAScheduledJobUsesIt_AndAllowedOnceCancelled()
    {
        var id = await CreateTemplateAsync("Later");
        await _server.StartAcceptedAgentAsync("later-01");
        var job = await _api.PostAsJsonAsync("/api/job_invocations", new
        {
            job_invocation = new
            {
                job_template_id = id, targeting_type = "static_query", search_query = "name = later-01", inputs = new { what = "x" },
                scheduling = new { start_at = DateTimeOffset.UtcNow.AddHours(3).ToString("O") },
            },
        });
        Assert.Equal(HttpStatusCode.Created, job.StatusCode);
        var jobId = (await job.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var refused = await _api.DeleteAsync($"/api/job_templates/{id}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("scheduled", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync($"/api/job_templates/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await _api.PostAsJsonAsync($"/api/job_invocations/{jobId}/cancel", new { })).StatusCode);
        var deleted = await _api.DeleteAsync($"/api/job_templates/{id}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("Later", (await deleted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync($"/api/job_templates/{id}")).StatusCode);

        var rerun = await _api.PostAsJsonAsync($"/api/job_invocations/{jobId}/rerun", new { });
        Assert.Equal(HttpStatusCode.NotFound, rerun.StatusCode);
        Assert.Equal($"Could not rerun job {jobId} because its template could not be found",
            (await rerun.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }
}
