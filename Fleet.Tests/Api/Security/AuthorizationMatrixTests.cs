using System.Net;
using System.Text;
using Fleet.Domain.Security;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Security;

namespace Fleet.Tests.Api.Security;

/// <summary>
/// Every REST route the server maps × anonymous, viewer, operator and admin. The expected minimum role of each
/// route is written down below, route by route; a route the server maps without a row here fails the test, so a
/// new route cannot ship without someone deciding who may call it.
/// </summary>
public sealed class AuthorizationMatrixTests : IClassFixture<AuthorizationMatrixTests.Server>
{
    public sealed class Server : IDisposable
    {
        public FleetServer Fleet { get; } = new();
        public void Dispose() => Fleet.Dispose();
    }

    /// <summary>Method and route pattern → the least role that may call it. To add a route, add its row here.</summary>
    private static readonly Dictionary<string, string> MinimumRole = new()
    {
        // Host management (seed 001)
        ["GET /api/v1/fleet/status"] = Roles.Viewer,
        ["GET /api/v1/fleet/agents"] = Roles.Viewer,
        ["GET /api/v1/fleet/agent/{hostname}"] = Roles.Viewer,
        ["POST /api/v1/fleet/agent/{hostname}/command"] = Roles.Operator,
        ["POST /api/v1/fleet/broadcast/command"] = Roles.Operator,
        ["GET /api/v1/host/{host_id}/storage"] = Roles.Viewer,
        ["GET /api/v1/host/{host_id}/network"] = Roles.Viewer,
        ["GET /api/v1/host/{host_id}/users"] = Roles.Viewer,
        ["GET /api/v1/host/{host_id}/groups"] = Roles.Viewer,
        ["GET /api/v1/host/{host_id}/software"] = Roles.Viewer,
        ["POST /api/v1/host/{host_id}/update-hardware"] = Roles.Operator,
        ["POST /api/v1/host/refresh/software/{host_id}"] = Roles.Operator,
        ["POST /api/v1/hosts/request-hardware-update"] = Roles.Operator,
        ["POST /api/v1/host/{host_id}/approve"] = Roles.Operator,
        ["POST /api/v1/host/{host_id}/reject"] = Roles.Operator,
        ["GET /api/v1/audit"] = Roles.Admin,
        ["POST /api/v1/host/{host_id}/revoke"] = Roles.Operator,
        ["POST /api/v1/host/{host_id}/reenrolment/approve"] = Roles.Operator,
        ["POST /api/v1/host/{host_id}/reenrolment/reject"] = Roles.Operator,
        ["POST /api/v1/host/reboot/{host_id}"] = Roles.Operator,
        ["POST /api/v1/host/shutdown/{host_id}"] = Roles.Operator,
        ["GET /api/host/{host_id}/reboot/pre-check"] = Roles.Viewer,
        ["POST /api/host/{host_id}/reboot/orchestrated"] = Roles.Operator,
        ["GET /api/host/{host_id}/reboot/orchestration/{orchestration_id}"] = Roles.Viewer,
        // Remote execution job invocations (seed 002), job templates and bookmarks
        ["GET /api/job_invocations"] = Roles.Viewer,
        ["POST /api/job_invocations"] = Roles.Operator,
        ["GET /api/job_invocations/{id}"] = Roles.Viewer,
        ["GET /api/job_invocations/{id}/hosts/{host_id}"] = Roles.Viewer,
        ["GET /api/job_invocations/{id}/hosts/{host_id}/raw"] = Roles.Viewer,
        ["GET /api/job_invocations/{id}/outputs"] = Roles.Viewer,
        ["POST /api/job_invocations/{id}/cancel"] = Roles.Operator,
        ["POST /api/job_invocations/{id}/rerun"] = Roles.Operator,
        ["GET /api/job_templates"] = Roles.Viewer,
        ["POST /api/job_templates"] = Roles.Admin,
        ["GET /api/job_templates/{id}"] = Roles.Viewer,
        ["PUT /api/job_templates/{id}"] = Roles.Admin,
        ["POST /api/job_templates/{id}/clone"] = Roles.Admin,
        ["DELETE /api/job_templates/{id}"] = Roles.Admin,
        ["GET /api/bookmarks"] = Roles.Viewer,
        ["POST /api/bookmarks"] = Roles.Operator,
        // Headless device operations (seed 000)
        ["GET /api/v1/inventory_device_name_headless_operation"] = Roles.Viewer,
        ["POST /api/v1/inventory_device_name_headless_operation"] = Roles.Operator,
        // Stage runs and target runs (seed 004)
        ["GET /v0/stageruns"] = Roles.Viewer,
        ["GET /v0/stageruns/{stage_run_id}"] = Roles.Viewer,
        ["GET /v0/stageruns/{stage_run_id}/targetruns"] = Roles.Viewer,
        ["POST /v0/stageruns/{stage_run_id}/targetruns"] = Roles.Operator,
        ["GET /v0/stageruns/{stage_run_id}/targetruns/{target_run_id}"] = Roles.Viewer,
        ["PUT /v0/stageruns/{stage_run_id}/targetruns/{target_run_id}"] = Roles.Operator,
        ["GET /v0/stageruns/{stage_run_id}/targetruns/{target_run_id}/command"] = Roles.Viewer,
        ["POST /v0/stageruns/{stage_run_id}/targetruns/{target_run_id}/command"] = Roles.Operator,
        ["PUT /v0/stageruns/{stage_run_id}/targetruns/{target_run_id}/command/{command_id}"] = Roles.Operator,
        // Agent maintenance tasks (seed 003); REMOTE_INSTALL and SET_REMOTE_INSTALL_HOST need admin, checked per type inside
        ["GET /v3/{project_id}/agent-invocations"] = Roles.Viewer,
        ["GET /v3/{project_id}/agent-invocations/{invocation_id}"] = Roles.Viewer,
        ["POST /v3/{project_id}/agent-invocations/batch-create"] = Roles.Operator,
    };

    private static readonly string[] Callers = ["anonymous", Roles.Viewer, Roles.Operator, Roles.Admin];

    private readonly FleetServer _server;

    public AuthorizationMatrixTests(Server fixture) => _server = fixture.Fleet;

    /// <summary>Ids that exist nowhere: the request reaches its handler (and fails there) only when authorization let it through.</summary>
    private static string Placeholder(string parameter) => parameter switch
    {
        "hostname" => "no-such-host",
        "id" => "987654321",
        _ => "4f0c7e1a-5d3b-4c8e-9a6f-0123456789ab",
    };

    [Fact]
    public void EveryMappedRoute_HasARowInTheTable()
    {
        var mapped = ApiRoutes.All(_server).Select(r => r.Key).ToList();
        var missing = mapped.Where(key => !MinimumRole.ContainsKey(key)).ToList();
        Assert.True(missing.Count == 0,
            $"Add these routes to {nameof(AuthorizationMatrixTests)}.{nameof(MinimumRole)} with the least role that may call them:\n" + string.Join("\n", missing));
        var stale = MinimumRole.Keys.Where(key => !mapped.Contains(key)).ToList();
        Assert.True(stale.Count == 0, "These rows name routes the server no longer maps; remove or correct them:\n" + string.Join("\n", stale));
    }

    [Fact]
    public async Task EveryRoute_AnswersEachCallerAsItsMinimumRoleSays()
    {
        var tokens = new Dictionary<string, string?> { ["anonymous"] = null };
        var admin = _server.Get<IAccountAdmin>();
        foreach (var role in Roles.All) tokens[role] = (await admin.CreateTokenAsync($"matrix {role}", role)).Secret;

        var wrong = new List<string>();
        var checkedCount = 0;
        foreach (var route in ApiRoutes.All(_server).Where(r => MinimumRole.ContainsKey(r.Key)))
        {
            var minimum = MinimumRole[route.Key];
            foreach (var caller in Callers)
            {
                using var client = _server.Api(tokens[caller]);
                var path = route.Path(Placeholder);
                using var request = new HttpRequestMessage(new HttpMethod(route.Method), path);
                if (route.Method is "POST" or "PUT") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                using var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                var expected = caller == "anonymous" ? "401"
                    : Roles.Implied(caller).Contains(minimum) ? "neither 401 nor 403"
                    : "403";
                var actual = (int)response.StatusCode;
                var ok = expected switch
                {
                    "401" => actual == 401,
                    "403" => actual == 403,
                    _ => actual is not (401 or 403),
                };
                if (!ok) wrong.Add($"{route.Key} as {caller}: expected {expected}, got {actual} {body}");
                if (actual is 401 or 403 && ApiErrorShapes.Problem(path, body) is { } shape) wrong.Add($"{route.Key} as {caller}: {shape}");
                checkedCount++;
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.Equal(MinimumRole.Count * Callers.Length, checkedCount);
    }
}
