using Fleet.Agent.Children;
using Fleet.Domain.Agents;

namespace Fleet.Tests.Agent.Children;

public sealed class ChildHostParserTests
{
    // Trimmed from a real `lxc list --format json` (LXD 5): each instance carries far more than name, type and status.
    private const string LxdFixture = """
        [
          {"architecture":"x86_64","config":{"image.os":"Ubuntu"},"created_at":"2024-05-01T09:12:44Z","name":"web-container-01",
           "status":"Running","status_code":103,"type":"container","state":{"status":"Running","pid":4242}},
          {"architecture":"x86_64","name":"build-vm","status":"Stopped","status_code":102,"type":"virtual-machine","state":null},
          {"architecture":"x86_64","name":"frozen-one","status":"Frozen","status_code":110,"type":"container"},
          {"architecture":"x86_64","status":"Running"}
        ]
        """;

    // `docker ps -a --format '{{json .}}'` prints one object per line.
    private const string DockerFixture = """
        {"Command":"\"/docker-entrypoint.…\"","CreatedAt":"2024-05-01 09:00:00 +0000 UTC","ID":"3f1c0e","Image":"nginx:1.25","Labels":"","LocalVolumes":"0","Mounts":"","Names":"proxy","Networks":"bridge","Ports":"0.0.0.0:80->80/tcp","RunningFor":"2 hours ago","Size":"0B","State":"running","Status":"Up 2 hours"}
        {"Command":"\"redis-server\"","CreatedAt":"2024-05-01 08:00:00 +0000 UTC","ID":"9ab2d4","Image":"redis:7","Names":"cache,cache-alias","State":"exited","Status":"Exited (0) 5 minutes ago"}
        {"Command":"\"sleep 1d\"","ID":"77aa01","Image":"busybox","Names":"sleeper","State":"paused","Status":"Up 1 hour (Paused)"}
        {"Command":"\"true\"","ID":"12ab34","Image":"busybox","Names":"fresh","State":"created","Status":"Created"}

        """;

    [Fact]
    public void Lxd_ReadsNameAndLowerCaseStatus_AndSkipsNamelessEntries() =>
        Assert.Equal(
            [new ChildHostInfo("web-container-01", "lxd", "running"), new ChildHostInfo("build-vm", "lxd", "stopped"), new ChildHostInfo("frozen-one", "lxd", "frozen")],
            LxdListParser.Parse(LxdFixture));

    [Fact]
    public void Lxd_EmptyOutput_IsNoChildren_AndANonArrayIsAnError()
    {
        Assert.Empty(LxdListParser.Parse("[]"));
        Assert.Empty(LxdListParser.Parse(""));
        Assert.Throws<InvalidOperationException>(() => LxdListParser.Parse("{\"error\":\"not found\"}"));
    }

    [Fact]
    public void Docker_MapsStatesToRunningOrStopped_AndTakesTheFirstName() =>
        Assert.Equal(
            [
                new ChildHostInfo("proxy", "docker", "running"), new ChildHostInfo("cache", "docker", "stopped"),
                new ChildHostInfo("sleeper", "docker", "paused"), new ChildHostInfo("fresh", "docker", "stopped"),
            ],
            DockerPsParser.Parse(DockerFixture));
}
