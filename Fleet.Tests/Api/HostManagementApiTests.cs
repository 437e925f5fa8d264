using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Domain.Security;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Api;

/// <summary>Seed 001 read side and refresh requests, against a real server with a real agent connected.</summary>
public sealed class HostManagementApiTests : IClassFixture<HostManagementApiTests.Fixture>
{
    public sealed class Fixture() : ServerWithAgents("web-server-01")
    {
        public FixedInventorySource Inventory { get; } = new("web-server-01");

        protected override async Task<RunningAgent> StartAgentAsync(string hostname)
        {
            var agent = Server.StartAgent("machine-web-01", hostname, Inventory);
            await Eventually.Until(() => agent.Agent.IsAccepted, "the agent to be accepted");
            using var api = Server.Api();
            await Eventually.Until(() => api.GetFromJsonAsync<JsonElement>($"/api/v1/host/{agent.Agent.HostId}/software"),
                body => body.GetProperty("packages").GetArrayLength() > 0, "the first inventory");
            return agent;
        }
    }

    private readonly Fixture _fixture;
    private readonly HttpClient _api;

    public HostManagementApiTests(Fixture fixture)
    {
        _fixture = fixture;
        _api = fixture.Server.Api();
    }

    private static void AssertFields(JsonElement element, params (string Name, JsonValueKind Kind)[] fields)
    {
        foreach (var (name, kind) in fields)
        {
            Assert.True(element.TryGetProperty(name, out var value), $"missing field '{name}' in {element}");
            Assert.True(value.ValueKind == kind, $"field '{name}' is {value.ValueKind}, expected {kind}");
        }
        Assert.Equal(fields.Length, element.EnumerateObject().Count());
    }

    [Fact]
    public async Task FleetStatus_CountsTheOnlineHost_WithTheSeedFields()
    {
        var body = await _api.GetFromJsonAsync<JsonElement>("/api/v1/fleet/status");
        AssertFields(body, ("total_hosts", JsonValueKind.Number), ("online_hosts", JsonValueKind.Number), ("offline_hosts", JsonValueKind.Number),
            ("pending_approval", JsonValueKind.Number), ("agents_with_errors", JsonValueKind.Number), ("last_updated", JsonValueKind.String));
        Assert.True(body.GetProperty("online_hosts").GetInt32() >= 1);
        Assert.Equal(body.GetProperty("total_hosts").GetInt32(), body.GetProperty("online_hosts").GetInt32() + body.GetProperty("offline_hosts").GetInt32());
        Assert.EndsWith("Z", body.GetProperty("last_updated").GetString());
    }

    [Fact]
    public async Task Agents_ListsTheHostWithTheSeedFields()
    {
        var body = await _api.GetFromJsonAsync<JsonElement>("/api/v1/fleet/agents");
        var agent = body.GetProperty("agents").EnumerateArray().Single(a => a.GetProperty("hostname").GetString() == "web-server-01");
        AssertFields(agent, ("hostname", JsonValueKind.String), ("id", JsonValueKind.String), ("status", JsonValueKind.String),
            ("last_seen", JsonValueKind.String), ("platform", JsonValueKind.String), ("version", JsonValueKind.String), ("ip_address", JsonValueKind.String));
        Assert.Equal(_fixture.HostId, agent.GetProperty("id").GetGuid());
        Assert.Equal("online", agent.GetProperty("status").GetString());
        Assert.Equal("linux", agent.GetProperty("platform").GetString());
        Assert.Equal("192.168.1.100", agent.GetProperty("ip_address").GetString());
    }

    [Fact]
    public async Task AgentDetail_FormatsSizesAndUptimeLikeTheSeed()
    {
        var body = await _api.GetFromJsonAsync<JsonElement>("/api/v1/fleet/agent/web-server-01");
        AssertFields(body, ("hostname", JsonValueKind.String), ("id", JsonValueKind.String), ("status", JsonValueKind.String),
            ("last_seen", JsonValueKind.String), ("platform", JsonValueKind.String), ("os_version", JsonValueKind.String),
            ("agent_version", JsonValueKind.String), ("ip_address", JsonValueKind.String), ("cpu_count", JsonValueKind.Number),
            ("memory_total", JsonValueKind.String), ("disk_usage", JsonValueKind.Object), ("uptime", JsonValueKind.String));
        AssertFields(body.GetProperty("disk_usage"), ("total", JsonValueKind.String), ("used", JsonValueKind.String), ("free", JsonValueKind.String));
        Assert.Equal("8 GB", body.GetProperty("memory_total").GetString());
        Assert.Equal("100 GB", body.GetProperty("disk_usage").GetProperty("total").GetString());
        Assert.Equal("45 GB", body.GetProperty("disk_usage").GetProperty("used").GetString());
        Assert.Equal("15 days, 3 hours, 22 minutes", body.GetProperty("uptime").GetString());
        Assert.Equal("Ubuntu 22.04 LTS", body.GetProperty("os_version").GetString());
        Assert.Equal(4, body.GetProperty("cpu_count").GetInt32());
    }

    [Fact]
    public async Task AgentDetail_UnknownHostname_Returns404WithDetail()
    {
        var response = await _api.GetAsync("/api/v1/fleet/agent/no-such-host");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("no-such-host", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Storage_ReturnsDevicesWithUsagePercentage()
    {
        var body = await _api.GetFromJsonAsync<JsonElement>($"/api/v1/host/{_fixture.HostId}/storage");
        AssertFields(body, ("storage_devices", JsonValueKind.Array), ("last_updated", JsonValueKind.String));
        var device = body.GetProperty("storage_devices")[0];
        AssertFields(device, ("device", JsonValueKind.String), ("mount_point", JsonValueKind.String), ("filesystem", JsonValueKind.String),
            ("total_size", JsonValueKind.String), ("used_space", JsonValueKind.String), ("free_space", JsonValueKind.String),
            ("usage_percentage", JsonValueKind.Number));
        Assert.Equal(45, device.GetProperty("usage_percentage").GetInt32());
        Assert.Equal("/", device.GetProperty("mount_point").GetString());
    }

    [Fact]
    public async Task Network_ReturnsInterfacesWithStatusAndSpeed()
    {
        var body = await _api.GetFromJsonAsync<JsonElement>($"/api/v1/host/{_fixture.HostId}/network");
        AssertFields(body, ("network_interfaces", JsonValueKind.Array), ("last_updated", JsonValueKind.String));
        var nic = body.GetProperty("network_interfaces")[0];
        AssertFields(nic, ("interface", JsonValueKind.String), ("ip_address", JsonValueKind.String), ("netmask", JsonValueKind.String),
            ("gateway", JsonValueKind.String), ("mac_address", JsonValueKind.String), ("status", JsonValueKind.String), ("speed", JsonValueKind.String));
        Assert.Equal("up", nic.GetProperty("status").GetString());
        Assert.Equal("1000 Mbps", nic.GetProperty("speed").GetString());
    }

    [Fact]
    public async Task UsersAndGroups_ReturnTheSeedFields()
    {
        var users = await _api.GetFromJsonAsync<JsonElement>($"/api/v1/host/{_fixture.HostId}/users");
        AssertFields(users, ("users", JsonValueKind.Array), ("last_updated", JsonValueKind.String));
        AssertFields(users.GetProperty("users")[0], ("username", JsonValueKind.String), ("uid", JsonValueKind.Number), ("gid", JsonValueKind.Number),
            ("home_directory", JsonValueKind.String), ("shell", JsonValueKind.String), ("last_login", JsonValueKind.String));
        var groups = await _api.GetFromJsonAsync<JsonElement>($"/api/v1/host/{_fixture.HostId}/groups");
        AssertFields(groups, ("groups", JsonValueKind.Array), ("last_updated", JsonValueKind.String));
        var sudo = groups.GetProperty("groups")[0];
        AssertFields(sudo, ("name", JsonValueKind.String), ("gid", JsonValueKind.Number), ("members", JsonValueKind.Array));
        Assert.Equal(["admin", "user1"], sudo.GetProperty("members").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task Software_ReturnsPackagesAndTotal()
    {
        var body = await _api.GetFromJsonAsync<JsonElement>($"/api/v1/host/{_fixture.HostId}/software");
        AssertFields(body, ("packages", JsonValueKind.Array), ("total_packages", JsonValueKind.Number), ("last_updated", JsonValueKind.String));
        var nginx = body.GetProperty("packages").EnumerateArray().First(p => p.GetProperty("name").GetString() == "nginx");
        AssertFields(nginx, ("name", JsonValueKind.String), ("version", JsonValueKind.String), ("architecture", JsonValueKind.String),
            ("status", JsonValueKind.String), ("description", JsonValueKind.String), ("install_date", JsonValueKind.String));
        Assert.Equal(body.GetProperty("packages").GetArrayLength(), body.GetProperty("total_packages").GetInt32());
    }

    [Theory]
    [InlineData("storage")]
    [InlineData("network")]
    [InlineData("users")]
    [InlineData("groups")]
    [InlineData("software")]
    public async Task InventoryOfUnknownHost_Returns404(string section)
    {
        var response = await _api.GetAsync($"/api/v1/host/{Guid.NewGuid()}/{section}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("detail", out _));
    }

    [Fact]
    public async Task InventoryWithMalformedHostId_Returns422()
    {
        var response = await _api.GetAsync("/api/v1/host/not-a-uuid/storage");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail")[0];
        Assert.Equal("host_id", detail.GetProperty("loc")[1].GetString());
    }

    [Fact]
    public async Task SoftwareRefresh_AsksTheAgentAndTheDataChanges()
    {
        var before = await _api.GetFromJsonAsync<JsonElement>($"/api/v1/host/{_fixture.HostId}/software");
        _fixture.Inventory.Packages.Add(new("curl", "7.88.1", "amd64", "installed", "command line tool for transferring data", null));
        var response = await _api.PostAsync($"/api/v1/host/refresh/software/{_fixture.HostId}", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        AssertFields(body, ("message", JsonValueKind.String), ("request_id", JsonValueKind.String), ("estimated_completion", JsonValueKind.String));
        var after = await Eventually.Until(() => _api.GetFromJsonAsync<JsonElement>($"/api/v1/host/{_fixture.HostId}/software"),
            b => b.GetProperty("packages").EnumerateArray().Any(p => p.GetProperty("name").GetString() == "curl"), "the refreshed software list");
        Assert.Equal(before.GetProperty("total_packages").GetInt32() + 1, after.GetProperty("total_packages").GetInt32());
        var requestId = body.GetProperty("request_id").GetGuid();
        await using var db = _fixture.Server.Db();
        await Eventually.Until(() => Task.FromResult(db.InventoryRequests.AsNoTracking().Single(r => r.Id == requestId).CompletedAt),
            completed => completed is not null, "the request to be marked complete");
    }

    [Fact]
    public async Task UpdateHardware_ReturnsRequestIdAndEstimate()
    {
        var response = await _api.PostAsync($"/api/v1/host/{_fixture.HostId}/update-hardware", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        AssertFields(body, ("message", JsonValueKind.String), ("request_id", JsonValueKind.String), ("estimated_completion", JsonValueKind.String));
        Assert.Equal("Hardware update request sent", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task UpdateHardware_UnknownHost_Returns404()
    {
        var response = await _api.PostAsync($"/api/v1/host/{Guid.NewGuid()}/update-hardware", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task BulkHardwareUpdate_ReturnsBatch()
    {
        var response = await _api.PostAsJsonAsync("/api/v1/hosts/request-hardware-update",
            new { host_ids = new[] { _fixture.HostId }, include_storage = true, include_network = true, include_users = false });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        AssertFields(body, ("batch_id", JsonValueKind.String), ("total_hosts", JsonValueKind.Number), ("requests_sent", JsonValueKind.Number),
            ("estimated_completion", JsonValueKind.String), ("results", JsonValueKind.Array));
        Assert.Equal(1, body.GetProperty("total_hosts").GetInt32());
        Assert.Equal(1, body.GetProperty("requests_sent").GetInt32());
    }

    [Theory]
    [InlineData("{\"host_ids\": []}")]
    [InlineData("{\"host_ids\": [\"nope\"]}")]
    [InlineData("{\"host_ids\": 5}")]
    [InlineData("{not json")]
    [InlineData("")]
    public async Task BulkHardwareUpdate_MalformedBody_Returns422WithAMessage(string json)
    {
        var response = await _api.PostAsync("/api/v1/hosts/request-hardware-update", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail")[0];
        Assert.False(string.IsNullOrWhiteSpace(detail.GetProperty("msg").GetString()));
    }

    [Fact]
    public async Task BulkHardwareUpdate_WithUnknownAndUnapprovedHosts_StillSendsToTheRest_AndSaysWhyNotPerHost()
    {
        var unknown = Guid.NewGuid();
        var pendingId = Guid.NewGuid();
        await using var db = _fixture.Server.Db();
        db.Hosts.Add(new Fleet.Domain.Hosts.ManagedHost(pendingId, "machine-bulk-pending", "bulk-pending", DateTimeOffset.UtcNow));
        await db.SaveChangesAsync();
        var before = await db.InventoryRequests.CountAsync();

        var response = await _api.PostAsJsonAsync("/api/v1/hosts/request-hardware-update", new { host_ids = new[] { _fixture.HostId, unknown, pendingId } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, body.GetProperty("total_hosts").GetInt32());
        Assert.Equal(1, body.GetProperty("requests_sent").GetInt32());
        var results = body.GetProperty("results").EnumerateArray().ToDictionary(r => Guid.Parse(r.GetProperty("host_id").GetString()!));
        Assert.Equal(["host_id", "status", "request_id", "detail"], results[unknown].EnumerateObject().Select(p => p.Name));
        Assert.Equal(("sent", JsonValueKind.Null), (results[_fixture.HostId].GetProperty("status").GetString(), results[_fixture.HostId].GetProperty("detail").ValueKind));
        Assert.Equal(("not_found", JsonValueKind.Null), (results[unknown].GetProperty("status").GetString(), results[unknown].GetProperty("request_id").ValueKind));
        Assert.Equal("not_approved", results[pendingId].GetProperty("status").GetString());
        Assert.Equal(before + 1, await db.InventoryRequests.CountAsync());
        Assert.False(await db.InventoryRequests.AnyAsync(r => r.HostId == unknown || r.HostId == pendingId));
    }

    [Fact]
    public async Task WithoutToken_Returns401InTheFamilyShape()
    {
        using var anonymous = _fixture.Server.Api(token: null);
        var response = await anonymous.GetAsync("/api/v1/fleet/status");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("detail", out _));
    }

    [Fact]
    public async Task WithRevokedOrUnknownToken_Returns401()
    {
        using var stranger = _fixture.Server.Api(token: "flt_not-a-real-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/v1/fleet/status")).StatusCode);
        var accounts = _fixture.Server.Get<IAccountAdmin>();
        var created = await accounts.CreateTokenAsync("short-lived", Roles.Viewer);
        using var client = _fixture.Server.Api(created.Secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/fleet/status")).StatusCode);
        await accounts.RevokeTokenAsync(created.Token.Id);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/fleet/status")).StatusCode);
    }

    [Fact]
    public async Task ViewerToken_CanReadButNotRequestRefresh()
    {
        var created = await _fixture.Server.Get<IAccountAdmin>().CreateTokenAsync("viewer", Roles.Viewer);
        using var viewer = _fixture.Server.Api(created.Secret);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/v1/host/{_fixture.HostId}/storage")).StatusCode);
        var response = await viewer.PostAsync($"/api/v1/host/{_fixture.HostId}/update-hardware", null);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("detail", out _));
    }
}
