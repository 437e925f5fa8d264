using Microsoft.Playwright;

namespace Fleet.Tests.Integration.Playwright.Pages;

/// <summary>The Agents page at <c>/agents</c>: counters, versions in use, agent packages, agent tasks and the remote install dialog.</summary>
public sealed class AgentsPage(BrowserSession browser) : DashboardPage(browser)
{
    public async Task<AgentsPage> OpenAsync()
    {
        await GotoAsync("/agents");
        return this;
    }

    /// <param name="name">agents, versions, out-of-date, offline.</param>
    public ILocator Count(string name) => Page.Locator($"#count-{name}");

    public ILocator VersionRow(string version) => Page.Locator($"#version-table tr[data-version='{version}']");

    public ILocator HostsOfVersion(string version) => Page.Locator($"[data-hosts-of='{version}'] [data-version-host]");

    public Task ShowHostsOfAsync(string version) => Page.Locator($"[data-show-hosts='{version}']").ClickAsync();

    public ILocator Package(string version) => Page.Locator($"#package-table tr[data-package='{version}']");

    public ILocator DefaultChip(string version) => Page.Locator($"[data-default-chip='{version}']");

    public ILocator TaskStatus(string invocationId) => Page.Locator($"[data-invocation-status='{invocationId}']");

    public async Task OpenRemoteInstallAsync()
    {
        await Page.Locator("#remote-install").ClickAsync();
        await Page.Locator("#remote-address-0").WaitForAsync();
    }

    /// <summary>Fills the first machine row of the remote install dialog and the password, then starts the install.</summary>
    public async Task RemoteInstallAsync(string name, string address, int port, string user, string password)
    {
        await FillFirstMachineAsync(name, address, port, user);
        await Page.Locator("#remote-secret").FillAsync(password);
        await StartRemoteInstallAsync();
    }

    /// <summary>Fills the first machine row, chooses the private key way in and pastes the PEM key, then starts the install.</summary>
    public async Task RemoteInstallWithKeyAsync(string name, string address, int port, string user, string privateKeyPem)
    {
        await FillFirstMachineAsync(name, address, port, user);
        await Page.Locator("#remote-use-key").ClickAsync();
        // The choice swaps the password input for a multi-line field; filling before the swap would lose the key's line breaks.
        await Page.Locator("textarea#remote-secret").FillAsync(privateKeyPem);
        await StartRemoteInstallAsync();
    }

    private async Task FillFirstMachineAsync(string name, string address, int port, string user)
    {
        await Page.Locator("#remote-name-0").FillAsync(name);
        await Page.Locator("#remote-address-0").FillAsync(address);
        await Page.Locator("#remote-port-0").FillAsync(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Page.Locator("#remote-user-0").FillAsync(user);
    }

    private async Task StartRemoteInstallAsync()
    {
        // Numeric fields take their value on change; leave the last one so every value reaches the circuit first.
        await Page.Locator("#remote-secret").BlurAsync();
        await Page.Locator("#remote-install-start").ClickAsync();
    }

    public ILocator RemoteStatus(string name) => Page.Locator($"[data-remote-status='{name}']");

    public ILocator RemoteNewHost(string name) => Page.Locator($"[data-remote-host='{name}']");

    public ILocator RemoteError(string name) => Page.Locator($"[data-remote-error='{name}']");

    public ILocator RemoteSummary => Page.Locator("#remote-summary");
}
