using Fleet.Domain.AgentMaintenance;

namespace Fleet.Tests.Domain.AgentMaintenance;

/// <summary>Seed 003 Tables 1–4, rule by rule: each broken rule answers its own taskmgr code (the README's table).</summary>
public sealed class AgentInvocationRequestTests
{
    private const string Id = "0b9d6c1e-8a55-4f0e-9d3c-1c2b3a4d5e6f";

    public static TheoryData<string, string> BrokenRules() => new()
    {
        { "not json", "taskmgr.1001" },
        { "[1, 2]", "taskmgr.1001" },
        { "", "taskmgr.1001" },
        { "{}", "taskmgr.1003" },
        { """{"invocation_type": null}""", "taskmgr.1003" },
        { """{"invocation_type": "REBOOT"}""", "taskmgr.1004" },
        { """{"invocation_type": "install"}""", "taskmgr.1004" },
        { """{"invocation_type": 3}""", "taskmgr.1004" },
        { """{"invocation_type": "INSTALL"}""", "taskmgr.1005" },
        { """{"invocation_type": "UPDATE"}""", "taskmgr.1005" },
        { """{"invocation_type": "SET_REMOTE_INSTALL_HOST"}""", "taskmgr.1005" },
        { """{"invocation_type": "INSTALL", "instance_ids": []}""", "taskmgr.1006" },
        { """{"invocation_type": "INSTALL", "instance_ids": "abc"}""", "taskmgr.1006" },
        { "{\"invocation_type\": \"UPDATE\", \"instance_ids\": [" + string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"i{i}\"")) + "]}", "taskmgr.1006" },
        { """{"invocation_type": "INSTALL", "instance_ids": ["has space"]}""", "taskmgr.1007" },
        { """{"invocation_type": "INSTALL", "instance_ids": [12]}""", "taskmgr.1007" },
        { "{\"invocation_type\": \"INSTALL\", \"instance_ids\": [\"" + new string('a', 65) + "\"]}", "taskmgr.1007" },
        { """{"invocation_type": "ROLLBACK"}""", "taskmgr.1008" },
        { """{"invocation_type": "RETRY", "instance_ids": ["a"]}""", "taskmgr.1008" },
        { """{"invocation_type": "RETRY", "invocation_ids": []}""", "taskmgr.1009" },
        { "{\"invocation_type\": \"ROLLBACK\", \"invocation_ids\": [" + string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"i{i}\"")) + "]}", "taskmgr.1009" },
        { """{"invocation_type": "ROLLBACK", "invocation_ids": ["a/b"]}""", "taskmgr.1010" },
        { """{"invocation_type": "INSTALL", "instance_ids": ["a"], "invocation_target": "uniagent"}""", "taskmgr.1011" },
        { """{"invocation_type": "UPDATE", "instance_ids": ["a"], "version_type": "LATEST"}""", "taskmgr.1012" },
        { """{"invocation_type": "UPDATE", "instance_ids": ["a"], "origin": "ELSEWHERE"}""", "taskmgr.1013" },
        { "{\"invocation_type\": \"UPDATE\", \"instance_ids\": [\"a\"], \"version\": \"" + new string('1', 65) + "\"}", "taskmgr.1014" },
        { """{"invocation_type": "UPDATE", "instance_ids": ["a"], "version": "1.0 beta"}""", "taskmgr.1015" },
        { """{"invocation_type": "UPDATE", "instance_ids": ["a"], "version": 2}""", "taskmgr.1015" },
        { "{\"invocation_type\": \"REMOTE_INSTALL\", \"remote_install_meta\": [" + string.Join(",", Enumerable.Range(0, 101).Select(_ => "{}")) + "]}", "taskmgr.1016" },
        { """{"invocation_type": "REMOTE_INSTALL", "remote_install_meta": {}}""", "taskmgr.1016" },
        { """{"invocation_type": "REMOTE_INSTALL", "remote_install_meta": ["10.0.0.1"]}""", "taskmgr.1017" },
        { """{"invocation_type": "REMOTE_INSTALL", "remote_install_meta": [{"remote_ip": "10.0.0.1", "instance_name": ""}]}""", "taskmgr.1018" },
        { """{"invocation_type": "REMOTE_INSTALL", "remote_install_meta": [{"remote_ip": "host.example"}]}""", "taskmgr.1019" },
        { """{"invocation_type": "REMOTE_INSTALL", "remote_install_meta": [{"remote_ip": "1000.1000.1000.1000"}]}""", "taskmgr.1019" },
        { """{"invocation_type": "REMOTE_INSTALL", "remote_install_meta": [{"remote_ip": "10.0.0.1", "user_name": "a-user-name-too-long"}]}""", "taskmgr.1020" },
        { """{"invocation_type": "REMOTE_INSTALL", "remote_install_meta": [{"remote_ip": "10.0.0.1", "port": "220000"}]}""", "taskmgr.1021" },
        { """{"invocation_type": "REMOTE_INSTALL", "remote_install_meta": [{"remote_ip": "10.0.0.1", "port": "70000"}]}""", "taskmgr.1022" },
        { """{"invocation_type": "REMOTE_INSTALL", "remote_install_meta": [{"remote_ip": "10.0.0.1", "port": "ssh"}]}""", "taskmgr.1022" },
        { """{"invocation_type": "REMOTE_INSTALL", "remote_install_meta": [{"remote_ip": "10.0.0.1", "password": ""}]}""", "taskmgr.1023" },
        { "{\"invocation_type\": \"REMOTE_INSTALL\", \"remote_install_meta\": [{\"remote_ip\": \"10.0.0.1\", \"password\": \"" + new string('p', 3001) + "\"}]}", "taskmgr.1023" },
        { """{"invocation_type": "REMOTE_INSTALL", "remote_install_meta": [{"remote_ip": "10.0.0.1", "remote_use_pem": "yes"}]}""", "taskmgr.1024" },
        { """{"invocation_type": "REMOTE_INSTALL"}""", "taskmgr.1025" },
        { """{"invocation_type": "REMOTE_INSTALL", "remote_install_meta": []}""", "taskmgr.1025" },
        { """{"invocation_type": "SET_REMOTE_INSTALL_HOST", "instance_ids": ["a", "b"]}""", "taskmgr.1026" },
        { """{"invocation_type": "UPDATE", "instance_ids": ["a"], "waves": "rest, 1"}""", "taskmgr.1027" },
        { """{"invocation_type": "UPDATE", "instance_ids": ["a"], "waves": true}""", "taskmgr.1027" },
        { """{"invocation_type": "UPDATE", "instance_ids": ["a"], "failure_threshold": "many"}""", "taskmgr.1028" },
    };

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public void Parse_WithABrokenRule_AnswersThatRulesCode(string body, string code)
    {
        var (request, error) = AgentInvocationRequest.Parse("project-1", body);

        Assert.Null(request);
        Assert.Equal(code, error!.Code);
        Assert.InRange(error.Message.Length, 1, TaskError.MaxMessageLength);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a-project-id-that-is-longer-than-sixty-four-characters-0123456789abc")]
    public void Parse_WithAProjectIdOutOfRange_AnswersTaskmgr1002(string projectId)
    {
        var (_, error) = AgentInvocationRequest.Parse(projectId, """{"invocation_type": "INSTALL", "instance_ids": ["a"]}""");

        Assert.Equal("taskmgr.1002", error!.Code);
    }

    [Fact]
    public void EveryRule_HasItsOwnCode()
    {
        var codes = BrokenRules().Select(row => (string)row[1]).Distinct().Append("taskmgr.1002").ToList();

        Assert.Equal(28, codes.Count);
        Assert.All(codes, code => Assert.Matches(@"^taskmgr\.[0-9]{4}$", code));
    }

    [Fact]
    public void Parse_TheDocumentsExample_ReadsEveryField()
    {
        var (request, error) = AgentInvocationRequest.Parse("0605767ab0000b3b2f4dc0117cb1b1c2", $$"""
            {"instance_ids": ["{{Id}}", "instancexxx002"], "invocation_type": "INSTALL", "invocation_target": "telescope", "origin": "CES"}
            """);

        Assert.Null(error);
        Assert.Equal(AgentInvocationType.Install, request!.Type);
        Assert.Equal([Id, "instancexxx002"], request.InstanceIds);
        Assert.Equal("CES", request.Origin);
    }

    [Fact]
    public void Parse_RemoteInstallMeta_DefaultsPortTo22_AndNeverPrintsThePassword()
    {
        var (request, error) = AgentInvocationRequest.Parse("p", """
            {"invocation_type": "REMOTE_INSTALL", "remote_install_meta": [
              {"instance_name": "db-7", "remote_ip": "10.1.2.3", "user_name": "root", "password": "hunter2-secret"},
              {"remote_ip": "10.1.2.4", "port": "2222", "remote_use_pem": true, "password": "-----BEGIN KEY-----"}]}
            """);

        Assert.Null(error);
        var first = request!.RemoteInstallMeta[0];
        Assert.Equal((22, "hunter2-secret", false), (first.Port, first.Password, first.UsePem));
        Assert.Equal((2222, true), (request.RemoteInstallMeta[1].Port, request.RemoteInstallMeta[1].UsePem));
        Assert.DoesNotContain("hunter2-secret", first.ToString());
        Assert.DoesNotContain("hunter2-secret", request.ToString());
    }

    [Fact]
    public void Parse_AnEmptyVersion_MeansNoneChosen()
    {
        var (request, _) = AgentInvocationRequest.Parse("p", """{"invocation_type": "UPDATE", "instance_ids": ["a"], "version": ""}""");

        Assert.Null(request!.Version);
    }

    [Fact]
    public void Parse_FleetsWavesAndThreshold_AcceptTextAndNumbers()
    {
        var (request, error) = AgentInvocationRequest.Parse("p", """{"invocation_type": "UPDATE", "instance_ids": ["a"], "waves": "1, 10%, rest", "failure_threshold": 2}""");

        Assert.Null(error);
        Assert.Equal(("1, 10%, rest", "2"), (request!.Waves, request.FailureThreshold));
    }
}
