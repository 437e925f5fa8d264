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
    public async Task BothProbes_ListTheDatabase_AndNoRedisWhenNoneIsConfigured()
    {
        using var anonymous = _server.Api(token: null);
        foreach (var path in new[] { "/readyz", "/healthz" })
        {
            var body = await anonymous.GetFromJsonAsync<JsonElement>(path);
            Assert.Equal(["database"], body.GetProperty("checks").EnumerateObject().Select(c => c.Name));
            Assert.Equal("healthy", body.GetProperty("checks").GetProperty("database").GetString());
        }
    }

    [Fact]
    public async Task WithRedis_ProbesListIt_AndOnceItIsDown_ReadyzAnswers503_WhileHealthzStillAnswers200()
    {
        var redis = new RedisServer();
        using var server = new FleetServer(new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = redis.ConnectionString });
        using var anonymous = server.Api(token: null);
        var ready = await anonymous.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("healthy", (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").GetProperty("redis").GetString());

        redis.Dispose();
        var down = await Eventually.Until(() => anonymous.GetAsync("/readyz"), r => r.StatusCode == HttpStatusCode.ServiceUnavailable,
            "/readyz to notice Redis is gone");
        var downBody = await down.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("unhealthy", downBody.GetProperty("checks").GetProperty("redis").GetString());
        Assert.Equal("healthy", downBody.GetProperty("checks").GetProperty("database").GetString());
        var alive = await anonymous.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        var aliveBody = await alive.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("unhealthy", aliveBody.GetProperty("status").GetString());
        Assert.Equal("unhealthy", aliveBody.GetProperty("checks").GetProperty("redis").GetString());
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
