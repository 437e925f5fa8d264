using Fleet.Agent.Children;
using Fleet.Domain.Agents;

namespace Fleet.Tests.Agent.Children;

public sealed class ChildHostCatalogTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "fleet-tests", "catalog-" + Guid.NewGuid().ToString("N"));

    /// <summary>An engine whose daemon is installed but not answering (e.g. still starting after a reboot).</summary>
    private sealed class SilentEngine : IChildHostProvider
    {
        public string Type => "docker";
        public bool IsPresent => true;
        public Task<IReadOnlyList<ChildHostInfo>> ListAsync(CancellationToken ct) => throw new InvalidOperationException("Cannot connect to the Docker daemon");
        public Task StopAsync(string name, TimeSpan timeout, CancellationToken ct) => throw new InvalidOperationException("daemon down");
        public Task StartAsync(string name, CancellationToken ct) => throw new InvalidOperationException("daemon down");
        public string PathInChild(string name, string path) => path;
        public Task CopyInAsync(string name, string localFile, string pathInChild, CancellationToken ct) => throw new InvalidOperationException("daemon down");
        public Task<int> ExecAsync(string name, IReadOnlyList<string> command, Func<string, Task> onLine, CancellationToken ct) =>
            throw new InvalidOperationException("daemon down");
    }

    [Fact]
    public async Task Report_AnEngineThatDoesNotAnswer_IsNamedUnavailable_AndTheOthersAreListed()
    {
        var sandbox = new SandboxChildHostProvider(_dir);
        sandbox.Seed([new SandboxChild("web", "running")]);

        var report = await new ChildHostCatalog([sandbox, new SilentEngine()]).ReportAsync(default);

        Assert.True(report.HasContainerEngine);
        Assert.Equal(["web"], report.Children.Select(c => c.Name));
        Assert.Equal(["docker"], report.UnavailableTypes!);
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
