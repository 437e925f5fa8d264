using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fleet.Agent.Children;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;
using Fleet.Domain.Security;
using Fleet.Tests.Api.Security;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine.AgentMaintenance;
using Fleet.Web.Engine.AgentPackages;
using Fleet.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Api.AgentInvocations;

/// <summary>
/// Seed 003 against a real server: a parent agent with sandbox child hosts, a second agent, and two agent packages in the
/// store. The real agents have no maintenance actions registered, so every step they are sent ends in their refusal —
/// a real end-to-end path through the engine and back into each task's status.
/// </summary>
public sealed class AgentInvocationsApiTests : IClassFixture<AgentInvocationsApiTests.Fixture>
{
    public const string Parent = "am-parent-01";
    public const string Plain = "am-host-02";
    public const string Project = "0605767ab0000b3b2f4dc0117cb1b1c2";
    private const string BatchCreate = $"/v3/{Project}/agent-invocations/batch-create";
    private const string List = $"/v3/{Project}/agent-invocations";

    public sealed class Fixture() : ServerWithAgents(Parent, Plain)
    {
        public static readonly byte[] NewPackage = Encoding.UTF8.GetBytes("#!/bin/sh\necho fleet-agent 9.0.0\n");

        protected override async Task<RunningAgent> StartAgentAsync(string hostname)
        {
            if (hostname != Parent) return await base.StartAgentAsync(hostname);
            var agent = Server.StartAgent("machine-" + hostname, hostname, new FixedInventorySource(hostname),
                // box-1 refuses commands, so installing into it fails on the parent's side, as a broken engine would.
                children: [new SandboxChild("box-1", "running", RefuseCommands: true), new SandboxChild("box-2", "running")]);
            await Eventually.Until(() => agent.Agent.IsAccepted, $"agent {hostname} accepted");
            return agent;
        }

        protected override async Task AfterAgentsStartedAsync()
        {
            var packages = Server.Get<IAgentPackages>();
            // The first package stored is the default (installs, BASIC_VERSION); it is the version the test agents report.
            // The agent built with the server is this version already where the build could publish it (clang present).
            if (await packages.FindAsync("0.1.0") is null)
                await packages.AddAsync("0.1.0", new MemoryStream(Encoding.UTF8.GetBytes("#!/bin/sh\necho fleet-agent 0.1.0\n")), "tests");
            await packages.AddAsync("9.0.0", new MemoryStream(NewPackage), "tests");
            await Eventually.Until(async () =>
            {
                await using var db = Server.Db();
                return await db.ChildHosts.CountAsync(c => c.ParentHostId == HostId);
            }, count => count == 2, "the parent's two child hosts reported");
            // The version a host reports comes with its inventory.
            await Eventually.Until(async () =>
            {
                await using var db = Server.Db();
                return await db.Hosts.CountAsync(h => h.AgentVersion == "0.1.0");
            }, count => count == 2, "both hosts' agent versions reported");
        }
    }

    private readonly Fixture _fixture;
    private readonly HttpClient _api;

    public AgentInvocationsApiTests(Fixture fixture)
    {
        _fixture = fixture;
        _api = fixture.Server.Api();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body, string Text)> PostAsync(object body, HttpClient? client = null)
    {
        using var response = await (client ?? _api).PostAsJsonAsync(BatchCreate, body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), text);
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var response = await _api.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private Task<JsonElement> WaitForStatusAsync(string invocationId, string status) =>
        Eventually.Until(() => GetAsync($"{List}/{invocationId}"), body => body.GetProperty("invocation_status").GetString() == status,
            $"agent invocation {invocationId} to become {status}");

    private async Task<Guid> ChildIdAsync(string name)
    {
        await using var db = _fixture.Server.Db();
        return await db.ChildHosts.Where(c => c.Name == name && c.ParentHostId == _fixture.HostId).Select(c => c.Id).SingleAsync();
    }

    private static JsonElement[] Items(JsonElement body) => body.GetProperty("invocations").EnumerateArray().ToArray();

    public static TheoryData<string, string> BrokenRequests() => new()
    {
        { "{", "taskmgr.1001" },
        { """{"instance_ids": ["a"]}""", "taskmgr.1003" },
        { """{"invocation_type": "UNINSTALL", "instance_ids": ["a"]}""", "taskmgr.1004" },
        { """{"invocation_type": "UPDATE"}""", "taskmgr.1005" },
        { """{"invocation_type": "INSTALL", "instance_ids": []}""", "taskmgr.1006" },
        { """{"invocation_type": "INSTALL", "instance_ids": ["not_valid!"]}""", "taskmgr.1007" },
        { """{"invocation_type": "RETRY"}""", "taskmgr.1008" },
        { """{"invocation_type": "ROLLBACK", "invocation_ids": []}""", "taskmgr.1009" },
        { """{"invocation_type": "ROLLBACK", "invocation_ids": [""]}""", "taskmgr.1010" },
        { """{"invocation_type": "INSTALL", "instance_ids": ["a"], "invocation_target": "other"}""", "taskmgr.1011" },
        { """{"invocation_type": "UPDATE", "instance_ids": ["a"], "version_type": "BETA"}""", "taskmgr.1012" },
        { """{"invocation_type": "UPDATE", "instance_ids": ["a"], "origin": "CLI"}""", "taskmgr.1013" },
        { "{\"invocation_type\": \"UPDATE\", \"instance_ids\": [\"a\"], \"version\": \"" + new string('9', 65) + "\"}", "taskmgr.1014" },
        { """{"invocation_type": "UPDATE", "instance_ids": ["a"], "version": "1.0/2"}""", "taskmgr.1015" },
        { """{"invocation_type": "REMOTE_INSTALL", "remote_install_meta": "10.0.0.1"}""", "taskmgr.1016" },
        { """{"invocation_type": "REMOTE_INSTALL", "remote_install_meta": [1]}""", "taskmgr.1017" },
        { "{\"invocation_type\": \"REMOTE_INSTALL\", \"remote_install_meta\": [{\"remote_ip\": \"10.0.0.1\", \"instance_name\": \"" + new string('n', 129) + "\"}]}", "taskmgr.1018" },
        { """{"invocation_type": "REMOTE_INSTALL", "remote_install_meta": [{"remote_ip": "10.0.0.1; rm -rf /"}]}""", "taskmgr.1019" },
        { """{"invocation_type": "REMOTE_INSTALL", "remote_install_meta": [{"remote_ip": "10.0.0.1", "user_name": ""}]}""", "taskmgr.1020" },
        { """{"invocation_type": "REMOTE_INSTALL", "remote_install_meta": [{"remote_ip": "10.0.0.1", "port": ""}]}""", "taskmgr.1021" },
        { """{"invocation_type": "REMOTE_INSTALL", "remote_install_meta": [{"remote_ip": "10.0.0.1", "port": "0"}]}""", "taskmgr.1022" },
        { """{"invocation_type": "REMOTE_INSTALL", "remote_install_meta": [{"remote_ip": "10.0.0.1", "password": 1234}]}""", "taskmgr.1023" },
        { """{"invocation_type": "REMOTE_INSTALL", "remote_install_meta": [{"remote_ip": "10.0.0.1", "remote_use_pem": 1}]}""", "taskmgr.1024" },
        { """{"invocation_type": "REMOTE_INSTALL", "remote_install_meta": []}""", "taskmgr.1025" },
        { """{"invocation_type": "SET_REMOTE_INSTALL_HOST", "instance_ids": ["a", "b"]}""", "taskmgr.1026" },
        { """{"invocation_type": "UPDATE", "instance_ids": ["a"], "waves": "0"}""", "taskmgr.1027" },
        { """{"invocation_type": "UPDATE", "instance_ids": ["a"], "failure_threshold": "150%"}""", "taskmgr.1028" },
    };

    [Theory]
    [MemberData(nameof(BrokenRequests))]
    public async Task BatchCreate_BreakingARule_Answers400WithItsCode_AndCreatesNothing(string body, string code)
    {
        int before;
        await using (var db = _fixture.Server.Db()) before = await db.AgentInvocations.CountAsync() + await db.Invocations.CountAsync();

        using var response = await _api.PostAsync(BatchCreate, new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        ApiErrorShapes.AssertShape(BatchCreate, text);
        Assert.Equal(code, JsonDocument.Parse(text).RootElement.GetProperty("error_code").GetString());
        await using (var db = _fixture.Server.Db()) Assert.Equal(before, await db.AgentInvocations.CountAsync() + await db.Invocations.CountAsync());
    }

    [Fact]
    public async Task BatchCreate_WithAProjectIdOver64Characters_Answers400Taskmgr1002()
    {
        using var response = await _api.PostAsJsonAsync($"/v3/{new string('p', 65)}/agent-invocations/batch-create", new { invocation_type = "INSTALL", instance_ids = new[] { "a" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("taskmgr.1002", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error_code").GetString());
    }

    [Fact]
    public async Task BatchCreate_WithoutAToken_Answers401InTheFamilyShape_AndXAuthTokenIsAccepted()
    {
        using var anonymous = _fixture.Server.Api(token: null);
        var (status, body, text) = await PostAsync(new { invocation_type = "INSTALL", instance_ids = new[] { "a" } }, anonymous);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        ApiErrorShapes.AssertShape(BatchCreate, text);
        Assert.Equal("taskmgr.0401", body.GetProperty("error_code").GetString());

        using var xAuth = _fixture.Server.Api(token: null);
        xAuth.DefaultRequestHeaders.Add("X-Auth-Token", FleetServer.AdminToken);
        var (accepted, answer, _) = await PostAsync(new { invocation_type = "INSTALL", instance_ids = new[] { "instancexxx001" } }, xAuth);
        Assert.Equal(HttpStatusCode.Created, accepted);
        Assert.Equal("error", Items(answer).Single().GetProperty("ret_status").GetString());
    }

    [Fact]
    public async Task BatchCreate_AsViewer_Answers403_AndAnOperatorMayNotRemoteInstall()
    {
        var accounts = _fixture.Server.Get<IAccountAdmin>();
        using var viewer = _fixture.Server.Api((await accounts.CreateTokenAsync("am viewer", Roles.Viewer)).Secret);
        using var @operator = _fixture.Server.Api((await accounts.CreateTokenAsync("am operator", Roles.Operator)).Secret);

        var (viewerStatus, viewerBody, viewerText) = await PostAsync(new { invocation_type = "INSTALL", instance_ids = new[] { "a" } }, viewer);
        Assert.Equal(HttpStatusCode.Forbidden, viewerStatus);
        ApiErrorShapes.AssertShape(BatchCreate, viewerText);
        Assert.Equal("taskmgr.0403", viewerBody.GetProperty("error_code").GetString());

        var (remoteStatus, remoteBody, _) = await PostAsync(new
        {
            invocation_type = "REMOTE_INSTALL", remote_install_meta = new[] { new { remote_ip = "10.0.0.1", password = "pw" } },
        }, @operator);
        Assert.Equal(HttpStatusCode.Forbidden, remoteStatus);
        Assert.Contains("admin", remoteBody.GetProperty("error_msg").GetString());
        var (designateStatus, _, _) = await PostAsync(new { invocation_type = "SET_REMOTE_INSTALL_HOST", instance_ids = new[] { _fixture.HostId.ToString() } }, @operator);
        Assert.Equal(HttpStatusCode.Forbidden, designateStatus);

        using var read = await viewer.GetAsync(List);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task Install_OnAMixOfInstances_AnswersEachOnItsOwn_TheChildFailsOnItsParentsRefusal_AndRetryStartsAgain()
    {
        var child = await ChildIdAsync("box-1");
        var unknown = Guid.NewGuid().ToString();
        var withAgent = _fixture.HostIds[Plain].ToString();

        var (status, body, text) = await PostAsync(new
        {
            instance_ids = new[] { child.ToString(), unknown, withAgent, "instancexxx002" }, invocation_type = "INSTALL", invocation_target = "telescope",
        });

        Assert.True(status == HttpStatusCode.Created, text);
        var items = Items(body);
        Assert.Equal([child.ToString(), unknown, withAgent, "instancexxx002"], items.Select(i => i.GetProperty("instance_id").GetString()));
        Assert.Equal("successful", items[0].GetProperty("ret_status").GetString());
        Assert.Matches("^[a-zA-Z0-9-]{1,64}$", items[0].GetProperty("invocation_id").GetString());
        Assert.False(items[0].TryGetProperty("error_code", out _));
        Assert.False(items[0].TryGetProperty("error_msg", out _));
        foreach (var refused in items[1..])
        {
            Assert.Equal("error", refused.GetProperty("ret_status").GetString());
            Assert.Equal("invocationmgr.2002", refused.GetProperty("error_code").GetString());
            Assert.Equal("do not meet the installation conditions", refused.GetProperty("error_msg").GetString());
        }

        var invocationId = items[0].GetProperty("invocation_id").GetString()!;
        var failed = await WaitForStatusAsync(invocationId, "FAILED");
        Assert.Equal("invocationmgr.3001", failed.GetProperty("error_code").GetString());
        Assert.Equal("Child host 'box-1' refused the command (sandbox: marked to refuse).", failed.GetProperty("error_msg").GetString());
        Assert.Equal(("child", "box-1", "0.1.0"), (failed.GetProperty("instance_type").GetString(), failed.GetProperty("instance_name").GetString(),
            failed.GetProperty("target_version").GetString()));
        Assert.True(failed.GetProperty("end_time").GetInt64() >= failed.GetProperty("create_time").GetInt64());

        // The step ran as an ordinary job on the parent: a ChildAgentInstall command whose visible script hides the ticket.
        await using (var db = _fixture.Server.Db())
        {
            var jobId = failed.GetProperty("job_invocation_id").GetInt64();
            var command = await db.Commands.AsNoTracking().SingleAsync(c => db.TargetRuns.Any(r => r.Id == c.TargetRunId && r.InvocationId == jobId));
            Assert.Equal((CommandKind.ChildAgentInstall, _fixture.HostId), (command.Kind, command.HostId));
            var shown = AgentMaintenanceJson.Read<ChildAgentInstallOrder>(command.Script);
            Assert.Equal(("box-1", "*****"), (shown.ChildName, shown.Install.EnrollmentToken));
            // The runnable order (with the ticket) went sealed; the task has ended, so it is gone and its ticket void.
            Assert.Null(command.SealedScript);
            var ticket = await db.InstallTickets.AsNoTracking().SingleAsync(t => t.AgentInvocationId == invocationId);
            Assert.Null(ticket.UsedAt);
            Assert.True(ticket.ExpiresAt <= DateTimeOffset.UtcNow);
        }

        var (retryStatus, retryBody, retryText) = await PostAsync(new { invocation_type = "RETRY", invocation_ids = new[] { invocationId, unknown } });
        Assert.True(retryStatus == HttpStatusCode.Created, retryText);
        var retried = Items(retryBody);
        Assert.Equal(("successful", child.ToString()), (retried[0].GetProperty("ret_status").GetString(), retried[0].GetProperty("instance_id").GetString()));
        Assert.Equal("invocationmgr.2007", retried[1].GetProperty("error_code").GetString());
        var retryId = retried[0].GetProperty("invocation_id").GetString()!;
        Assert.NotEqual(invocationId, retryId);
        var second = await WaitForStatusAsync(retryId, "FAILED");
        Assert.Equal(invocationId, second.GetProperty("retry_of").GetString());

        // An install is not an UPDATE: there is nothing to roll back.
        var (_, notFailed, _) = await PostAsync(new { invocation_type = "ROLLBACK", invocation_ids = new[] { invocationId } });
        Assert.Equal("invocationmgr.2016", Items(notFailed).Single().GetProperty("error_code").GetString());

        var byInstance = await GetAsync($"{List}?instance_id={child}");
        Assert.Equal(2, byInstance.GetProperty("count").GetInt32());
        Assert.Equal([retryId, invocationId], Items(byInstance).Select(i => i.GetProperty("invocation_id").GetString()));
        var page = await GetAsync($"{List}?instance_id={child}&limit=1&offset=1");
        Assert.Equal((2, invocationId), (page.GetProperty("count").GetInt32(), Items(page).Single().GetProperty("invocation_id").GetString()));
        var byId = await GetAsync($"{List}?invocation_id={retryId}&invocation_type=INSTALL&invocation_status=FAILED");
        Assert.Equal(1, byId.GetProperty("count").GetInt32());
        var none = await GetAsync($"{List}?instance_id={child}&invocation_status=SUCCEEDED");
        Assert.Equal(0, none.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Update_ToAStoredVersion_SendsOneAgentUpdateJobNamingItsHash_InWaves_AndTheAgentsRefusalFailsEachHost()
    {
        var hosts = new[] { _fixture.HostIds[Plain].ToString(), _fixture.HostIds[Parent].ToString() };
        var (status, body, text) = await PostAsync(new { invocation_type = "UPDATE", instance_ids = hosts, version = "9.0.0", waves = "1, rest" });

        Assert.True(status == HttpStatusCode.Created, text);
        var ids = Items(body).Select(i => i.GetProperty("invocation_id").GetString()!).ToList();
        Assert.All(Items(body), i => Assert.Equal("successful", i.GetProperty("ret_status").GetString()));
        var failed = new List<JsonElement>();
        foreach (var id in ids) failed.Add(await WaitForStatusAsync(id, "FAILED"));
        Assert.All(failed, f => Assert.Equal("this agent was not installed by install.sh, so it cannot update itself", f.GetProperty("error_msg").GetString()));
        Assert.All(failed, f => Assert.Equal(("0.1.0", "9.0.0"), (f.GetProperty("current_version").GetString(), f.GetProperty("target_version").GetString())));

        var jobId = failed[0].GetProperty("job_invocation_id").GetInt64();
        Assert.Equal(jobId, failed[1].GetProperty("job_invocation_id").GetInt64());
        await using (var db = _fixture.Server.Db())
        {
            Assert.Equal(2, await db.StageRuns.CountAsync(s => s.InvocationId == jobId));
            var commands = await db.Commands.AsNoTracking().Where(c => db.TargetRuns.Any(r => r.Id == c.TargetRunId && r.InvocationId == jobId)).ToListAsync();
            Assert.Equal(2, commands.Count);
            var expectedSha = Convert.ToHexStringLower(SHA256.HashData(Fixture.NewPackage));
            Assert.All(commands, command =>
            {
                Assert.Equal(CommandKind.AgentUpdate, command.Kind);
                var order = AgentMaintenanceJson.Read<AgentUpdateOrder>(command.Script);
                Assert.Equal(("9.0.0", expectedSha, (long)Fixture.NewPackage.Length), (order.Package.Version, order.Package.Sha256, order.Package.SizeBytes));
            });
        }

        var (_, already, _) = await PostAsync(new { invocation_type = "UPDATE", instance_ids = hosts[..1], version = "0.1.0" });
        Assert.Equal(("invocationmgr.2006", "already at version 0.1.0"),
            (Items(already)[0].GetProperty("error_code").GetString(), Items(already)[0].GetProperty("error_msg").GetString()));
        var (_, missing, _) = await PostAsync(new { invocation_type = "UPDATE", instance_ids = hosts[..1], version = "7.7.7" });
        Assert.Equal("invocationmgr.2004", Items(missing)[0].GetProperty("error_code").GetString());

        // A failed UPDATE knows the version it replaced, so it can be rolled back; an unknown id cannot.
        var (_, rollback, rollbackText) = await PostAsync(new { invocation_type = "ROLLBACK", invocation_ids = new[] { ids[0], "no-such-invocation" } });
        var rolled = Items(rollback);
        Assert.True(rolled[0].GetProperty("ret_status").GetString() == "successful", rollbackText);
        Assert.Equal("invocationmgr.2007", rolled[1].GetProperty("error_code").GetString());
        var rollbackRun = await WaitForStatusAsync(rolled[0].GetProperty("invocation_id").GetString()!, "FAILED");
        Assert.Equal((ids[0], "0.1.0"), (rollbackRun.GetProperty("rollback_of").GetString(), rollbackRun.GetProperty("target_version").GetString()));
        Assert.Equal("this agent was not installed by install.sh, so it cannot roll itself back", rollbackRun.GetProperty("error_msg").GetString());
    }

    [Fact]
    public async Task VersionSummary_CountsApprovedHostsPerAgentVersion_AgainstTheDefaultPackage()
    {
        var summary = await _fixture.Server.Get<IAgentMaintenance>().VersionSummaryAsync();

        Assert.Equal("0.1.0", summary.DefaultVersion);
        Assert.Contains(new AgentVersionCount("0.1.0", 2), summary.Versions);
        Assert.Equal(0, summary.OutOfDate);
    }

    [Fact]
    public async Task Get_AnUnknownInvocation_Answers404InTheFamilyShape_AndBadQueriesAnswer400()
    {
        using var response = await _api.GetAsync($"{List}/{Guid.NewGuid()}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        ApiErrorShapes.AssertShape(List, text);
        Assert.Equal("taskmgr.0404", JsonDocument.Parse(text).RootElement.GetProperty("error_code").GetString());

        foreach (var query in new[] { "limit=0", "limit=x", "offset=-1", "invocation_status=DONE", "invocation_type=NOPE" })
        {
            using var bad = await _api.GetAsync($"{List}?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("taskmgr.1029", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error_code").GetString());
        }
    }
}
