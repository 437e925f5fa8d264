using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fleet.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fleet.Tests.Security;

/// <summary>
/// A hidden_value input (seed 002) reaches the agent, yet its value is in no database row, in no byte of the
/// database files and in no log line: stored values are encrypted with Data Protection, shown scripts masked.
/// </summary>
public sealed class SecretsAtRestTests
{
    private static readonly string Secret = "S3cret-" + Guid.NewGuid().ToString("N");

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public async Task SensitiveInput_ReachesTheAgent_ButNeverTheDatabaseFilesOrTheLogs()
    {
        var logs = new RecordingLoggerProvider();
        using var server = new FleetServer(configure: builder => builder.ConfigureLogging(logging => logging.AddProvider(logs)));
        var agent = await server.StartAcceptedAgentAsync("vault-01");
        using var api = server.Api();

        var template = await api.PostAsJsonAsync("/api/job_templates", new
        {
            job_template = new
            {
                name = "Check the vault password",
                // The agent prints only a digest, so the output proves it got the value without storing it.
                template = "printf '%s' '<%= input('password') %>' | sha256sum | cut -c1-64",
                template_inputs = new[] { new { name = "password", required = true, hidden_value = true } },
            },
        });
        Assert.Equal(HttpStatusCode.Created, template.StatusCode);
        var templateId = (await template.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var created = await api.PostAsJsonAsync("/api/job_invocations", new
        {
            job_invocation = new
            {
                job_template_id = templateId, targeting_type = "static_query", search_query = "name = vault-01",
                inputs = new Dictionary<string, string> { ["password"] = Secret },
            },
        });
        var createdBody = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, createdBody);
        var invocationId = JsonDocument.Parse(createdBody).RootElement.GetProperty("id").GetInt64();
        var results = await server.WaitForEndAsync(invocationId);

        Assert.Equal(Sha256(Secret), results.Single().Stdout.Trim());
        Assert.DoesNotContain(Secret, createdBody);
        var shown = await api.GetStringAsync($"/api/job_invocations/{invocationId}");
        Assert.DoesNotContain(Secret, shown);

        await using (var db = server.Db())
        {
            var invocation = await db.Invocations.AsNoTracking().SingleAsync(i => i.Id == invocationId);
            Assert.DoesNotContain(Secret, invocation.InputsJson);
            Assert.DoesNotContain(Secret, invocation.Script);
            Assert.Contains("*****", invocation.Script);
            Assert.NotNull(invocation.SealedScript);
            var command = await db.Commands.AsNoTracking().SingleAsync(c => c.HostId == agent.Agent.HostId);
            Assert.DoesNotContain(Secret, command.Script);
            Assert.DoesNotContain(Secret, command.SealedScript!);
        }

        var needle = Encoding.UTF8.GetBytes(Secret);
        var files = Directory.GetFiles(server.DataDirectory, "fleet.db*");
        Assert.Contains(files, f => f.EndsWith("fleet.db-wal"));
        foreach (var file in files)
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.True(copy.ToArray().AsSpan().IndexOf(needle) < 0, $"the secret is in the bytes of {Path.GetFileName(file)}");
        }
        Assert.NotEmpty(logs.Lines);
        Assert.DoesNotContain(logs.Lines, line => line.Contains(Secret));
    }

    [Fact]
    public async Task RerunOfAJobWithASensitiveInput_SendsTheValueAgain()
    {
        using var server = new FleetServer();
        await server.StartAcceptedAgentAsync("vault-02");
        var invocations = server.Get<Fleet.Web.Engine.IInvocationService>();
        await using (var db = server.Db())
        {
            db.JobTemplates.Add(new Fleet.Domain.Execution.JobTemplate("Digest", "Commands", "printf '%s' '<%= input('token') %>' | sha256sum | cut -c1-64",
                [new Fleet.Domain.Execution.TemplateInput("token", Required: true, Sensitive: true)]));
            await db.SaveChangesAsync();
        }
        long templateId;
        await using (var db = server.Db()) templateId = (await db.JobTemplates.SingleAsync(t => t.Name == "Digest")).Id;
        var first = await invocations.CreateAsync(new Fleet.Web.Engine.NewJob
        {
            TemplateId = templateId, Inputs = new Dictionary<string, string> { ["token"] = Secret }, SearchQuery = "name = vault-02",
        }, "tester");
        await server.WaitForEndAsync(first);

        var rerun = await invocations.RerunAsync(first, Fleet.Web.Engine.RerunFilter.All, "tester");
        var results = await server.WaitForEndAsync(rerun);

        Assert.Equal(Sha256(Secret), results.Single().Stdout.Trim());
    }

    [Fact]
    public async Task LostKeyRing_LeavesTheCommandUnsent_AndLogsWhy()
    {
        var directory = Path.Combine(Path.GetTempPath(), "fleet-tests", "keyring-" + Guid.NewGuid().ToString("N"));
        long invocationId;
        using (var first = new FleetServer(directory: directory))
        {
            var agent = await first.StartAcceptedAgentAsync("vault-03");
            await agent.StopAsync();
            long templateId;
            await using (var db = first.Db())
            {
                var template = new Fleet.Domain.Execution.JobTemplate("Sealed", "Commands", "echo '<%= input('token') %>'",
                    [new Fleet.Domain.Execution.TemplateInput("token", Required: true, Sensitive: true)]);
                db.JobTemplates.Add(template);
                await db.SaveChangesAsync();
                templateId = template.Id;
            }
            invocationId = await first.Get<Fleet.Web.Engine.IInvocationService>().CreateAsync(new Fleet.Web.Engine.NewJob
            {
                TemplateId = templateId, Inputs = new Dictionary<string, string> { ["token"] = Secret }, SearchQuery = "name = vault-03",
            }, "tester");
            await Eventually.Until(async () =>
            {
                await using var db = first.Db();
                return await db.Commands.AsNoTracking().AnyAsync();
            }, ok => ok, "the command to be queued for the offline agent");
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path.Combine(directory, "keys"), recursive: true);

        var logs = new RecordingLoggerProvider();
        using (var second = new FleetServer(directory: directory, configure: builder => builder.ConfigureLogging(logging => logging.AddProvider(logs))))
        {
            second.StartAgent("machine-vault-03", "vault-03", new FixedInventorySource("vault-03"), enrollmentToken: null,
                identity: new Fleet.Agent.FileIdentityStore(Path.Combine(directory, "agents", "machine-vault-03")));
            await Eventually.Until(() => logs.Lines.Any(l => l.StartsWith("Error") && l.Contains("cannot decrypt")), "the error naming the undecryptable command");

            await using var db = second.Db();
            var command = await db.Commands.AsNoTracking().SingleAsync();
            Assert.Equal(Fleet.Domain.Execution.CommandStatus.Queued, command.Status);
            Assert.Contains(logs.Lines, l => l.Contains(command.Id.ToString()));
            Assert.DoesNotContain(logs.Lines, l => l.Contains(Secret));
        }
        Directory.Delete(directory, recursive: true);
    }
}
