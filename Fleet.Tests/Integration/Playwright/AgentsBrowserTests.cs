using Fleet.Tests.Infrastructure;
using Fleet.Tests.Integration.Playwright.Pages;
using Fleet.Web.Engine;
using Fleet.Web.Engine.AgentPackages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Fleet.Tests.Integration.Playwright;

/// <summary>The Agents page in a real browser, against a real server with its built-in agent.</summary>
[Collection(BrowserTests.Name)]
public sealed class AgentsBrowserTests : IDisposable
{
    private readonly FleetServer _server = new(new Dictionary<string, string?> { ["Fleet:LocalAgent:Enabled"] = "true" });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Agents_ShowsTheLocalAgentsVersion_AndThePackages()
    {
        var reader = _server.Get<IFleetReader>();
        var local = await Eventually.Until(() => reader.ListHostsAsync(new HostListQuery(Status: HostStatusFilter.Online)),
            page => page.Items.Count == 1 && page.Items[0].AgentVersion.Length > 0, "the local agent online with its version");
        var version = local.Items[0].AgentVersion;
        var packages = _server.Get<IAgentPackages>();
        await packages.AddAsync("9.9.1", new MemoryStream([0x7f, 0x45, 0x4c, 0x46, 1]), "test");
        await packages.AddAsync("9.9.2", new MemoryStream([0x7f, 0x45, 0x4c, 0x46, 2]), "test");
        // The agent built with the server, when the build made one, is the default; otherwise the first package stored.
        var defaultVersion = (await packages.ListAsync()).Single(p => p.IsDefault).Version;

        await using var browser = await BrowserSession.SignInAsync(_server);
        var agents = await new AgentsPage(browser).OpenAsync();

        await Assertions.Expect(agents.VersionRow(version)).ToBeVisibleAsync();
        await Assertions.Expect(agents.Count("agents")).ToHaveTextAsync("1");
        await Assertions.Expect(agents.Count("out-of-date")).ToHaveTextAsync(version == defaultVersion ? "0" : "1");
        await Assertions.Expect(agents.Package("9.9.2")).ToBeVisibleAsync();
        await Assertions.Expect(agents.Package("9.9.1")).ToBeVisibleAsync();
        await Assertions.Expect(agents.Package(defaultVersion)).ToHaveAttributeAsync("data-default", "true");
        await Assertions.Expect(agents.DefaultChip(defaultVersion)).ToBeVisibleAsync();

        await agents.ShowHostsOfAsync(version);
        await Assertions.Expect(agents.HostsOfVersion(version)).ToHaveTextAsync(local.Items[0].Hostname);
        await agents.ScreenshotAsync("agents");
    }

    /// <summary>
    /// The dialog → engine → installer agent → SSH path, live: a wrong password ends the machine's task FAILED with the
    /// reason. The successful install is <see cref="RemoteInstall_FromTheDialog_ByKey_EndsSucceededWithTheNewHostOnline"/>.
    /// </summary>
    [Fact]
    public async Task RemoteInstall_FromTheDialog_FollowsTheMachinesTaskLiveToItsEnd()
    {
        using var sshd = new SshServer();
        var reader = _server.Get<IFleetReader>();
        await Eventually.Until(() => reader.ListHostsAsync(new HostListQuery(Status: HostStatusFilter.Online)), page => page.Items.Count == 1, "the local agent online");
        // Some package must exist for an install to start; the one built with the server stays the default when there is one.
        await _server.Get<IAgentPackages>().AddAsync("9.9.9", new MemoryStream([0x7f, 0x45, 0x4c, 0x46, 9]), "test");
        var wrongPassword = sshd.Password + "-not";

        await using var browser = await BrowserSession.SignInAsync(_server);
        var agents = await new AgentsPage(browser).OpenAsync();
        await agents.OpenRemoteInstallAsync();
        await agents.RemoteInstallAsync("ssh-lab", SshServer.FirstAddress.ToString(), sshd.Port, SshServer.PasswordUser, wrongPassword);

        await Assertions.Expect(agents.RemoteStatus("ssh-lab")).ToHaveTextAsync("FAILED", new() { Timeout = 120_000 });
        await Assertions.Expect(agents.RemoteError("ssh-lab")).ToContainTextAsync("Authentication failed");
        await Assertions.Expect(agents.RemoteSummary).ToHaveTextAsync("Done: 0 of 1 installed and online, 1 failed.");
        Assert.DoesNotContain(wrongPassword, await browser.Page.ContentAsync());
        await agents.ScreenshotAsync("agents-remote-install");
    }

    /// <summary>
    /// The whole way through the dialog: the local agent, as installer, reaches a real sshd "machine" as root with a PEM key,
    /// installs the agent the server was built with under install.sh's defaults, and the dialog follows the task to
    /// SUCCEEDED with the new host online, which the server's host list then shows too.
    /// </summary>
    [Fact]
    public async Task RemoteInstall_FromTheDialog_ByKey_EndsSucceededWithTheNewHostOnline()
    {
        // Disposed in reverse order: the installed launcher and agent are stopped while their pid files still exist,
        // before the sshd fixture deletes the machine's folders.
        using var sshd = new SshServer();
        using var installed = new InstalledAgents();
        var machine = SshServer.SecondAddress;
        installed.Track(sshd.DefaultPrefixOn(machine));
        var machineId = sshd.MachineIdOf(machine);
        var reader = _server.Get<IFleetReader>();
        await Eventually.Until(() => reader.ListHostsAsync(new HostListQuery(Status: HostStatusFilter.Online)), page => page.Items.Count == 1, "the local agent online");
        // Only the real agent built with the server can come online, so no other package may be the one installed.
        Assert.Contains(await _server.Get<IAgentPackages>().ListAsync(), p => p.IsDefault);

        await using var browser = await BrowserSession.SignInAsync(_server);
        var agents = await new AgentsPage(browser).OpenAsync();
        await agents.OpenRemoteInstallAsync();
        await agents.RemoteInstallWithKeyAsync("remote-b", machine.ToString(), sshd.Port, "root", sshd.RootPrivateKeyPem);

        await Assertions.Expect(agents.RemoteStatus("remote-b")).ToHaveTextAsync("SUCCEEDED", new() { Timeout = 120_000 });
        await Assertions.Expect(agents.RemoteNewHost("remote-b")).ToHaveTextAsync("online");
        await Assertions.Expect(agents.RemoteError("remote-b")).ToBeEmptyAsync();
        await Assertions.Expect(agents.RemoteSummary).ToHaveTextAsync("Done: 1 of 1 installed and online.");

        // The host the dialog links to is the one that machine enrolled (its own machine-id), and the server lists it online.
        Guid enrolledId;
        await using (var db = _server.Db())
            enrolledId = (await db.Hosts.AsNoTracking().SingleAsync(h => h.MachineId == machineId)).Id;
        await Assertions.Expect(agents.RemoteNewHost("remote-b")).ToHaveAttributeAsync("href", $"/hosts/{enrolledId}");
        var online = await reader.ListHostsAsync(new HostListQuery(Status: HostStatusFilter.Online));
        Assert.Contains(online.Items, h => h.Id == enrolledId && h.Status == "online");
        Assert.Equal(2, online.Items.Count);
        Assert.True(File.Exists(Path.Combine(sshd.DefaultPrefixOn(machine), "launcher.pid")), "the launcher runs from the machine's own /opt");
        Assert.DoesNotContain("PRIVATE KEY", await browser.Page.ContentAsync());
        await agents.ScreenshotAsync("agents-remote-install-succeeded");
    }
}
