using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Data;
using Fleet.Web.Health;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fleet.Tests.Health;

public sealed class HealthEndpointsTests : IDisposable
{
    private readonly FleetServer _server = new();

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Probe_AnswersAnonymously_Healthy(string path)
    {
        using var anonymous = _server.Api(token: null);
        var response = await anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("healthy", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_ChecksTheDatabase_Healthz_DoesNot()
    {
        using var anonymous = _server.Api(token: null);
        var ready = await anonymous.GetFromJsonAsync<JsonElement>("/readyz");
        Assert.Equal("healthy", ready.GetProperty("checks").GetProperty("database").GetString());
        var alive = await anonymous.GetFromJsonAsync<JsonElement>("/healthz");
        Assert.Empty(alive.GetProperty("checks").EnumerateObject());
    }

    [Fact]
    public async Task DatabaseCheck_UnreachableDatabase_IsUnhealthy()
    {
        var options = new DbContextOptionsBuilder<FleetDbContext>()
            .UseSqlite($"Data Source={Path.Combine(Path.GetTempPath(), "fleet-tests", "no-such-dir-" + Guid.NewGuid().ToString("N"), "fleet.db")}")
            .Options;
        var check = new DatabaseHealthCheck(new PooledDbContextFactory<FleetDbContext>(options));
        var result = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
    }

    public void Dispose() => _server.Dispose();
}
