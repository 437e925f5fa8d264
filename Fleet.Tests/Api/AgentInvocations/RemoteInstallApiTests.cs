using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fleet.Domain.Agents;
using Fleet.Domain.Execution;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine.AgentPackages;
using Fleet.Web.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Fleet.Tests.Api.AgentInvocations;

/// <summary>
/// SET_REMOTE_INSTALL_HOST and REMOTE_INSTALL on a server of their own (the installer is fleet-wide state): who may be the
/// installer, and what happens to the SSH password — sealed at rest, never shown or logged, gone once the task ends.
/// </summary>
public sealed class RemoteInstallApiTests
{
    private const string BatchCreate = "/v3/project-1/agent-invocations/batch-create";
    private static readonly string Password = "Ssh-Pa55-" + Guid.NewGuid().ToString("N");

    private static async Task<JsonElement[]> PostAsync(HttpClient api, object body)
    {
        using var response = await api.PostAsJsonAsync(BatchCreate, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        Assert.DoesNotContain(Password, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("invocations").EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    private static object RemoteInstall(params object[] entries) => new { invocation_type = "REMOTE_INSTALL", remote_install_meta = entries };

    [Fact]
    public async Task RemoteInstall_NeedsAnOnlineInstaller_AndItsPasswordIsNeverInTheClear_AndGoneOnceTheTaskEnds()
    {
        var logs = new RecordingLoggerProvider();
        using var server = new FleetServer(configure: builder => builder.ConfigureLogging(logging => logging.AddProvider(logs)));
        await server.Get<IAgentPackages>().AddAsync("1.2.3", new MemoryStream(Encoding.UTF8.GetBytes("#!/bin/sh\n")), "tests");
        var installer = await server.StartAcceptedAgentAsync("installer-01");
        var gone = await server.StartAcceptedAgentAsync("gone-02");
        var goneId = gone.Agent.HostId!.Value;
        await gone.StopAsync();
        using var api = server.Api();

        var refused = await PostAsync(api, RemoteInstall(new { remote_ip = "10.9.8.7", user_name = "root", password = Password }, new { instance_name = "no-ip" }));
        Assert.Equal(("remote-1", "invocationmgr.2010"), (refused[0].GetProperty("instance_id").GetString(), refused[0].GetProperty("error_code").GetString()));
        Assert.Equal(("remote-2", "invocationmgr.2013"), (refused[1].GetProperty("instance_id").GetString(), refused[1].GetProperty("error_code").GetString()));

        await Eventually.Until(() => !server.Get<Fleet.Web.Engine.AgentRegistry>().IsConnected(goneId), "the stopped agent to be disconnected");
        var offline = await PostAsync(api, new { invocation_type = "SET_REMOTE_INSTALL_HOST", instance_ids = new[] { goneId.ToString() } });
        Assert.Equal("invocationmgr.2003", offline.Single().GetProperty("error_code").GetString());
        var unknown = await PostAsync(api, new { invocation_type = "SET_REMOTE_INSTALL_HOST", instance_ids = new[] { Guid.NewGuid().ToString() } });
        Assert.Equal("invocationmgr.2001", unknown.Single().GetProperty("error_code").GetString());
        var designated = await PostAsync(api, new { invocation_type = "SET_REMOTE_INSTALL_HOST", instance_ids = new[] { installer.Agent.HostId!.Value.ToString() } });
        Assert.Equal("successful", designated.Single().GetProperty("ret_status").GetString());
        var current = await server.Get<Fleet.Web.Engine.AgentMaintenance.IAgentMaintenance>().CurrentInstallerAsync();
        Assert.Equal((installer.Agent.HostId.Value, true), (current!.HostId, current.Online));

        var started = await PostAsync(api, RemoteInstall(new { instance_name = "db-07", remote_ip = "10.9.8.7", user_name = "root", port = "2222", password = Password }));
        var item = started.Single();
        Assert.Equal("successful", item.GetProperty("ret_status").GetString());
        var machineId = Guid.Parse(item.GetProperty("instance_id").GetString()!);
        var invocationId = item.GetProperty("invocation_id").GetString()!;

        long jobId;
        await using (var db = server.Db())
        {
            var machine = await db.RemoteMachines.AsNoTracking().SingleAsync(m => m.Id == machineId);
            Assert.Equal(("db-07", "10.9.8.7", 2222), (machine.Name, machine.Address, machine.Port));
            jobId = (await db.AgentInvocations.AsNoTracking().SingleAsync(a => a.Id == invocationId)).EngineInvocationId!.Value;
            var job = await db.Invocations.AsNoTracking().SingleAsync(i => i.Id == jobId);
            Assert.Equal(CommandKind.RemoteAgentInstall, job.CommandKind);
            var shown = AgentMaintenanceJson.Read<RemoteAgentInstallOrder>(job.Script);
            Assert.Equal(("*****", "*****", 2222), (shown.Password, shown.Install.EnrollmentToken, shown.Port));
        }

        var ended = await Eventually.Until(async () =>
        {
            using var response = await api.GetAsync($"/v3/project-1/agent-invocations/{invocationId}");
            return await response.Content.ReadAsStringAsync();
        }, text => text.Contains("\"FAILED\""), "the remote install to end", TimeSpan.FromSeconds(60));
        // The installer really tries: nothing answers SSH at that address, and the error names the target, never the password.
        Assert.Contains("root@10.9.8.7:2222", ended);
        Assert.DoesNotContain(Password, ended);
        Assert.DoesNotContain(Password, await api.GetStringAsync("/v3/project-1/agent-invocations"));
        Assert.DoesNotContain(Password, await api.GetStringAsync($"/api/job_invocations/{jobId}"));

        await using (var db = server.Db())
        {
            Assert.Null((await db.RemoteMachines.AsNoTracking().SingleAsync(m => m.Id == machineId)).SealedCredential);
            Assert.Null((await db.Invocations.AsNoTracking().SingleAsync(i => i.Id == jobId)).SealedScript);
            var runIds = await db.TargetRuns.Where(r => r.InvocationId == jobId).Select(r => r.Id).ToListAsync();
            Assert.All(await db.Commands.AsNoTracking().Where(c => runIds.Contains(c.TargetRunId)).ToListAsync(), c => Assert.Null(c.SealedScript));
        }
        var needle = Encoding.UTF8.GetBytes(Password);
        foreach (var file in Directory.GetFiles(server.DataDirectory, "fleet.db*"))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.True(copy.ToArray().AsSpan().IndexOf(needle) < 0, $"the password is in the bytes of {Path.GetFileName(file)}");
        }
        Assert.NotEmpty(logs.Lines);
        Assert.DoesNotContain(logs.Lines, line => line.Contains(Password));

        // A retry cannot use the erased password: it asks the installer to use its own keys.
        var retry = await PostAsync(api, new { invocation_type = "RETRY", invocation_ids = new[] { invocationId } });
        Assert.Equal(("successful", machineId.ToString()), (retry.Single().GetProperty("ret_status").GetString(), retry.Single().GetProperty("instance_id").GetString()));
        await using (var db = server.Db())
        {
            var retryId = retry.Single().GetProperty("invocation_id").GetString()!;
            var retryJob = (await db.AgentInvocations.AsNoTracking().SingleAsync(a => a.Id == retryId)).EngineInvocationId!.Value;
            var sealedOrder = (await db.Invocations.AsNoTracking().SingleAsync(i => i.Id == retryJob)).SealedScript;
            if (sealedOrder is not null)
            {
                var order = AgentMaintenanceJson.Read<RemoteAgentInstallOrder>(server.Get<SensitiveValues>().Open(sealedOrder));
                Assert.Equal((null, true), (order.Password, order.UsePrivateKey));
            }
        }
    }
}
