using Fleet.Agent.Children;

namespace Fleet.Tests.Agent.Children;

public sealed class SandboxChildHostProviderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "fleet-tests", "sandbox-children-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task StopAndStart_ChangeTheStateKeptOnDisk()
    {
        new SandboxChildHostProvider(_dir).Seed([new SandboxChild("a", "running"), new SandboxChild("b", "stopped")]);
        await new SandboxChildHostProvider(_dir).StopAsync("a", TimeSpan.FromSeconds(5), default);
        await new SandboxChildHostProvider(_dir).StartAsync("b", default);
        // A new instance (an agent that restarted) reads the same state.
        var listed = await new SandboxChildHostProvider(_dir).ListAsync(default);
        Assert.Equal([("a", "stopped"), ("b", "running")], listed.Select(c => (c.Name, c.Status)));
        Assert.All(listed, c => Assert.Equal("sandbox", c.Type));
    }

    [Fact]
    public async Task Start_OfAChildMarkedToFail_ThrowsAndLeavesItStopped()
    {
        var provider = new SandboxChildHostProvider(_dir);
        provider.Seed([new SandboxChild("bad", "stopped", FailStart: true)]);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => provider.StartAsync("bad", default));
        Assert.Contains("failed to start", error.Message);
        Assert.Equal("stopped", provider.Current().Single().Status);
        await Assert.ThrowsAsync<InvalidOperationException>(() => provider.StopAsync("missing", TimeSpan.FromSeconds(1), default));
    }

    [Fact]
    public async Task Catalog_ReportsTheEngineAndRoutesByType()
    {
        var provider = new SandboxChildHostProvider(_dir);
        provider.Seed([new SandboxChild("x", "running")]);
        var catalog = new ChildHostCatalog([provider]);
        var report = await catalog.ReportAsync(default);
        Assert.True(report.HasContainerEngine);
        Assert.Single(report.Children);
        Assert.Same(provider, catalog.ProviderFor("sandbox"));
        Assert.Throws<InvalidOperationException>(() => catalog.ProviderFor("lxd"));
        Assert.False((await ChildHostCatalog.Empty.ReportAsync(default)).HasContainerEngine);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
