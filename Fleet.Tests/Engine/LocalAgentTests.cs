using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Tests.Infrastructure;

namespace Fleet.Tests.Engine;

/// <summary>The server enrols its own machine with a real agent reading real inventory, even when auto-approval is off.</summary>
public sealed class LocalAgentTests : IDisposable
{
    private readonly FleetServer _server = new(new Dictionary<string, string?>
    {
        ["Fleet:LocalAgent:Enabled"] = "true",
        ["Fleet:Agents:AutoApprove"] = "false",
    });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task LocalMachine_AppearsOnlineWithRealInventory()
    {
        using var api = _server.Api();
        var agents = await Eventually.Until(() => api.GetFromJsonAsync<JsonElement>("/api/v1/fleet/agents"),
            body => body.GetProperty("agents").EnumerateArray().Any(a => a.GetProperty("status").GetString() == "online"), "the local host online");
        var local = agents.GetProperty("agents")[0];
        Assert.Equal(Environment.MachineName, local.GetProperty("hostname").GetString());
        var id = local.GetProperty("id").GetGuid();

        var storage = await Eventually.Until(() => api.GetFromJsonAsync<JsonElement>($"/api/v1/host/{id}/storage"),
            body => body.GetProperty("storage_devices").GetArrayLength() > 0, "the local storage inventory");
        Assert.Contains(storage.GetProperty("storage_devices").EnumerateArray(), d => d.GetProperty("mount_point").GetString() == "/");
        var users = await api.GetFromJsonAsync<JsonElement>($"/api/v1/host/{id}/users");
        Assert.Contains(users.GetProperty("users").EnumerateArray(), u => u.GetProperty("username").GetString() == "root" && u.GetProperty("uid").GetInt32() == 0);
        if (File.Exists("/var/lib/dpkg/status"))
        {
            var software = await api.GetFromJsonAsync<JsonElement>($"/api/v1/host/{id}/software");
            Assert.True(software.GetProperty("total_packages").GetInt32() > 10);
        }
        var detail = await api.GetFromJsonAsync<JsonElement>($"/api/v1/fleet/agent/{Environment.MachineName}");
        Assert.True(detail.GetProperty("cpu_count").GetInt32() > 0);
        Assert.NotEqual("0 B", detail.GetProperty("memory_total").GetString());
    }
}
