using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Domain.Hosts;
using Fleet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Fleet.Tests.Api.AgentInvocations;

/// <summary>
/// REMOTE_INSTALL from end to end: the API designates a real agent as the installer, that agent reaches two machines over
/// real SSH (one by password as an unprivileged user, one by PEM key as root), installs the agent the server serves with
/// install.sh's defaults, and both new agents enrol with their install tickets and come online.
/// </summary>
[Collection(SshServerCollection.Name)]
public sealed class RemoteInstallOverSshTests(SshServer sshd, ITestOutputHelper output) : IDisposable
{
    private const string BatchCreate = "/v3/project-1/agent-invocations/batch-create";
    private readonly FleetServer _server = new();
    private readonly InstalledAgents _installed = new();

    public void Dispose()
    {
        _installed.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task RemoteInstallOfTwoMachines_FromTheDesignatedInstaller_BothEnrolComeOnlineAndTheInvocationsSucceed()
    {
        var installer = await _server.StartAcceptedAgentAsync("installer-01");
        using var api = _server.Api();
        var designated = await PostAsync(api, new { invocation_type = "SET_REMOTE_INSTALL_HOST", instance_ids = new[] { installer.Agent.HostId!.Value.ToString() } });
        Assert.Equal("successful", designated.Single().GetProperty("ret_status").GetString());
        foreach (var address in new[] { SshServer.FirstAddress, SshServer.SecondAddress }) _installed.Track(sshd.DefaultPrefixOn(address));

        var clock = Stopwatch.StartNew();
        var started = await PostAsync(api, new
        {
            invocation_type = "REMOTE_INSTALL",
            remote_install_meta = new object[]
            {
                new { instance_name = "remote-a", remote_ip = "127.0.0.2", port = sshd.Port.ToString(), user_name = SshServer.PasswordUser, password = sshd.Password },
                new { instance_name = "remote-b", remote_ip = "127.0.0.3", port = sshd.Port.ToString(), user_name = "root", password = sshd.RootPrivateKeyPem, remote_use_pem = true },
            },
        });
        Assert.All(started, item => Assert.Equal("successful", item.GetProperty("ret_status").GetString()));
        var invocations = started.Select(item => item.GetProperty("invocation_id").GetString()!).ToArray();

        var machines = new[] { ("remote-a", SshServer.FirstAddress), ("remote-b", SshServer.SecondAddress) };
        var online = await Task.WhenAll(machines.Select(async machine =>
        {
            var machineId = sshd.MachineIdOf(machine.Item2);
            var host = await Eventually.Until(async () =>
            {
                await using var db = _server.Db();
                return await db.Hosts.AsNoTracking().FirstOrDefaultAsync(h => h.MachineId == machineId && h.Connectivity == HostConnectivity.Online);
            }, h => h is not null, $"{machine.Item1} online", TimeSpan.FromSeconds(120));
            return (Name: machine.Item1, Host: host!, After: clock.Elapsed);
        }));
        // Found by machine id, not by the instance name: the first inventory report renames a host to the machine's real
        // hostname, and both "machines" here are this computer.
        foreach (var (name, _, after) in online)
        {
            output.WriteLine($"REMOTE_INSTALL posted -> {name} online: {after.TotalSeconds:0.00} s");
        }

        for (var i = 0; i < invocations.Length; i++)
        {
            var id = invocations[i];
            var ended = await Eventually.Until(async () => JsonDocument.Parse(await api.GetStringAsync($"/v3/project-1/agent-invocations/{id}")).RootElement.Clone(),
                e => Status(e) is "SUCCEEDED" or "FAILED" or "TIMEOUT", $"invocation {id} to end", TimeSpan.FromSeconds(60));
            Assert.True(Status(ended) == "SUCCEEDED", ended.ToString());
            await using var db = _server.Db();
            var invocation = await db.AgentInvocations.AsNoTracking().SingleAsync(a => a.Id == id);
            Assert.Equal(online[i].Host.Id, invocation.EnrolledHostId);
        }
        var text = await api.GetStringAsync("/v3/project-1/agent-invocations");
        Assert.DoesNotContain(sshd.Password, text);
        // The agents run in each machine's own /opt: the password user's under its ownership, root's under root's.
        Assert.True(File.Exists(Path.Combine(sshd.DefaultPrefixOn(SshServer.FirstAddress), "launcher.pid")));
        Assert.True(File.Exists(Path.Combine(sshd.DefaultPrefixOn(SshServer.SecondAddress), "launcher.pid")));
    }

    private static string? Status(JsonElement invocation) => invocation.GetProperty("invocation_status").GetString();

    private static async Task<JsonElement[]> PostAsync(HttpClient api, object body)
    {
        using var response = await api.PostAsJsonAsync(BatchCreate, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("invocations").EnumerateArray().Select(e => e.Clone()).ToArray();
    }
}
