using System.Security.Cryptography;
using Fleet.Domain;
using Fleet.Web.Engine.AgentPackages;

namespace Fleet.Tests.Engine.AgentPackages;

/// <summary>The package folder with the agent built with the server beside it: listed, default, never copied, never duplicated.</summary>
public sealed class AgentPackageStoreTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("fleet-package-store-");

    public void Dispose() => _root.Delete(recursive: true);

    private string Folder => Path.Combine(_root.FullName, "agent-packages");

    [Fact]
    public async Task TheBuiltInVersion_IsListedAndDefault_UntilAnAdminChoosesAnother_AndIsNeverCopied()
    {
        var builtIn = BuiltIn("1.0.0", "built-in bytes"u8.ToArray());
        var store = new AgentPackageStore(Folder, TimeProvider.System, builtIn);

        var only = Assert.Single(await store.ListAsync());
        Assert.Equal(("1.0.0", true, BuiltInAgentPackage.AddedBy), (only.Version, only.IsDefault, only.AddedBy));
        Assert.Equal(builtIn.FilePath, store.FileOf("1.0.0"));

        await store.AddAsync("1.1.0", new MemoryStream("newer"u8.ToArray()), "alice");
        Assert.Equal("1.0.0", (await store.ForVersionTypeAsync("BASIC_VERSION"))!.Version);
        Assert.Equal("1.1.0", (await store.ForVersionTypeAsync("ADVANCE_VERSION"))!.Version);

        await store.SetDefaultAsync("1.1.0", "alice");
        Assert.Equal(["1.1.0", "1.0.0"], (await store.ListAsync()).Select(p => p.Version));
        Assert.Equal("1.1.0", Assert.Single(await store.ListAsync(), p => p.IsDefault).Version);
        Assert.False(Directory.Exists(Path.Combine(Folder, "1.0.0")));
    }

    [Fact]
    public async Task Add_RefusesTheBuiltInVersion_ADuplicate_AnEmptyFile_AndABadVersion_LeavingNothingBehind()
    {
        var store = new AgentPackageStore(Folder, TimeProvider.System, BuiltIn("1.0.0", "x"u8.ToArray()));
        await store.AddAsync("2.0.0", new MemoryStream("two"u8.ToArray()), "alice");

        Assert.Contains("already exists", (await Assert.ThrowsAsync<DomainException>(() => store.AddAsync("1.0.0", new MemoryStream("y"u8.ToArray()), "bob"))).Message);
        Assert.Contains("already exists", (await Assert.ThrowsAsync<DomainException>(() => store.AddAsync("2.0.0", new MemoryStream("y"u8.ToArray()), "bob"))).Message);
        Assert.Contains("empty", (await Assert.ThrowsAsync<DomainException>(() => store.AddAsync("3.0.0", new MemoryStream(), "bob"))).Message);
        foreach (var bad in new[] { "../etc", "..", "a b", "1.0/2", new string('9', 65), "" })
            await Assert.ThrowsAsync<DomainException>(() => store.AddAsync(bad, new MemoryStream("z"u8.ToArray()), "bob"));

        Assert.Equal(["2.0.0", "1.0.0"], (await store.ListAsync()).Select(p => p.Version));
        Assert.Equal(["2.0.0"], Directory.EnumerateDirectories(Folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Add_KeepsTheBytes_TheirHash_AndWhoAddedThem()
    {
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        var store = new AgentPackageStore(Folder, TimeProvider.System);

        var added = await store.AddAsync("5.0.0-rc.1", new MemoryStream(bytes), "carol");

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), added.Sha256);
        Assert.Equal((300_000L, "carol", true), (added.SizeBytes, added.AddedBy, added.IsDefault));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(store.FileOf("5.0.0-rc.1")!));
    }

    [Theory]
    [InlineData("1.10.0", "1.9.2", 1)]
    [InlineData("1.9.2", "1.10.0", -1)]
    [InlineData("2.0.0", "2.0.0", 0)]
    [InlineData("2.0", "2.0.1", -1)]
    [InlineData("10.0.0", "9.99.99", 1)]
    [InlineData("1.0.0-beta", "1.0.0-alpha", 1)]
    public void VersionComparer_OrdersNumbersByValue(string left, string right, int expectedSign) =>
        Assert.Equal(expectedSign, Math.Sign(VersionComparer.Instance.Compare(left, right)));

    [Fact]
    public void BuiltIn_IsFoundOnlyWithItsVersion_AndComputesTheHashWhenTheBuildLeftNone()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root.FullName, "agent-package")).FullName;
        File.WriteAllBytes(Path.Combine(folder, "fleet-agent"), "agent"u8.ToArray());
        Assert.Null(BuiltInAgentPackage.Find(folder));

        File.WriteAllText(Path.Combine(folder, "version"), "0.1.0\n");
        var found = BuiltInAgentPackage.Find(folder);

        Assert.Equal(("0.1.0", Convert.ToHexStringLower(SHA256.HashData("agent"u8.ToArray())), 5L), (found!.Version, found.Sha256, found.SizeBytes));
    }

    private BuiltInAgentPackage BuiltIn(string version, byte[] bytes)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root.FullName, "build")).FullName;
        var file = Path.Combine(folder, "fleet-agent");
        File.WriteAllBytes(file, bytes);
        return new BuiltInAgentPackage(version, file, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length, DateTimeOffset.UtcNow);
    }
}
