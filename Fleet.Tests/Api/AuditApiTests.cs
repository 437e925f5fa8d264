using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Domain.Security;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Security;

namespace Fleet.Tests.Api;

/// <summary>GET /api/v1/audit and the records API writes leave there (dashboard actions: see the browser tests).</summary>
public sealed class AuditApiTests : IDisposable
{
    private readonly FleetServer _server = new();
    private readonly HttpClient _admin;

    public AuditApiTests() => _admin = _server.Api();

    public void Dispose()
    {
        _admin.Dispose();
        _server.Dispose();
    }

    private async Task<JsonElement> EntriesAsync(string query = "") =>
        (await _admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit{query}")).GetProperty("entries");

    [Fact]
    public async Task ApiWrite_IsRecordedWithWhoWhatTargetAddressAndOutcome()
    {
        const string secretLooking = "echo do-not-log-this-body";
        using var ok = await _admin.PostAsJsonAsync("/api/v1/fleet/broadcast/command", new { command = secretLooking, hostnames = new[] { "ghost" } });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var missing = Guid.NewGuid();
        using var notFound = await _admin.PostAsync($"/api/v1/host/{missing}/approve", null);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);

        var entries = await Eventually.Until(() => EntriesAsync(), e => e.GetArrayLength() >= 2, "two audit records");

        var broadcast = entries.EnumerateArray().Single(e => e.GetProperty("action").GetString() == "POST /api/v1/fleet/broadcast/command");
        Assert.Equal("bootstrap admin token", broadcast.GetProperty("actor").GetString());
        Assert.Equal("token", broadcast.GetProperty("actor_kind").GetString());
        Assert.Equal("api", broadcast.GetProperty("source").GetString());
        Assert.Equal("127.0.0.1", broadcast.GetProperty("address").GetString());
        Assert.Equal("success", broadcast.GetProperty("outcome").GetString());
        Assert.Equal(200, broadcast.GetProperty("status_code").GetInt32());
        Assert.True(DateTimeOffset.UtcNow - DateTimeOffset.Parse(broadcast.GetProperty("timestamp").GetString()!) < TimeSpan.FromMinutes(1));

        var approve = entries.EnumerateArray().Single(e => e.GetProperty("action").GetString() == "POST /api/v1/host/{host_id}/approve");
        Assert.Equal($"host_id={missing}", approve.GetProperty("target").GetString());
        Assert.Equal(404, approve.GetProperty("status_code").GetInt32());
        Assert.StartsWith("error", approve.GetProperty("outcome").GetString());

        Assert.DoesNotContain("do-not-log-this-body", entries.ToString());
    }

    [Fact]
    public async Task Reads_AreNotRecorded()
    {
        await _admin.GetAsync("/api/v1/fleet/status");
        await _admin.PostAsync($"/api/v1/host/{Guid.NewGuid()}/reject", null);

        var entries = await Eventually.Until(() => EntriesAsync(), e => e.GetArrayLength() >= 1, "the write's record");
        Assert.DoesNotContain(entries.EnumerateArray(), e => e.GetProperty("action").GetString()!.StartsWith("GET"));
    }

    [Fact]
    public async Task Search_And_Paging_NewestFirst()
    {
        for (var i = 0; i < 5; i++) await _admin.PostAsync($"/api/v1/host/{Guid.NewGuid()}/approve", null);
        await _admin.PostAsync($"/api/v1/host/{Guid.NewGuid()}/reject", null);
        await Eventually.Until(() => EntriesAsync(), e => e.GetArrayLength() == 6, "six records");

        var rejects = await EntriesAsync("?search=reject");
        Assert.Single(rejects.EnumerateArray());

        var page = await _admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?search=approve&limit=2&offset=2");
        Assert.Equal(5, page.GetProperty("total").GetInt32());
        Assert.Equal(2, page.GetProperty("entries").GetArrayLength());
        var all = await EntriesAsync("?search=approve");
        Assert.Equal(all[2].GetProperty("id").GetInt64(), page.GetProperty("entries")[0].GetProperty("id").GetInt64());
        var ids = all.EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(ids.OrderDescending(), ids);
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=abc", "limit")]
    [InlineData("?offset=-1", "offset")]
    public async Task BadPaging_Returns422NamingTheField(string query, string field)
    {
        using var response = await _admin.GetAsync($"/api/v1/audit{query}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(field, body.GetProperty("detail")[0].GetProperty("loc")[1].GetString());
    }

    [Theory]
    [InlineData(Roles.Viewer)]
    [InlineData(Roles.Operator)]
    public async Task NonAdmins_Get403(string role)
    {
        var created = await _server.Get<IAccountAdmin>().CreateTokenAsync($"{role} token", role);
        using var client = _server.Api(created.Secret);
        using var response = await client.GetAsync("/api/v1/audit");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("detail", out _));
    }

    [Fact]
    public async Task Anonymous_Gets401()
    {
        using var client = _server.Api(token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/audit")).StatusCode);
    }
}
