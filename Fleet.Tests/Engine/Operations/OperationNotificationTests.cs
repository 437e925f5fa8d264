using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fleet.Domain.Operations;
using Fleet.Tests.Infrastructure;
using Fleet.Web.Engine.Operations.Notifications;
using Microsoft.EntityFrameworkCore;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Fleet.Tests.Engine.Operations;

/// <summary>Webhooks to a real local HTTP listener and e-mail to a real SMTP server, both started by the test.</summary>
public sealed class OperationNotificationTests : IClassFixture<OperationNotificationTests.Fixture>
{
    public sealed class Fixture() : ServerWithAgents(Settings(), "notify-01")
    {
        public static readonly int SmtpPort = FreePort();

        private static Dictionary<string, string?> Settings() => new()
        {
            ["Fleet:Notifications:AllowPrivateAddresses"] = "true",
            ["Fleet:Notifications:WebhookRetryDelayMilliseconds"] = "20",
            ["Fleet:Smtp:Host"] = "127.0.0.1",
            ["Fleet:Smtp:Port"] = SmtpPort.ToString(),
            ["Fleet:Smtp:From"] = "fleet@example.test",
        };
    }

    private const string Path = "/api/v1/inventory_device_name_headless_operation/";

    private readonly Fixture _fixture;
    private readonly HttpClient _api;

    public OperationNotificationTests(Fixture fixture)
    {
        _fixture = fixture;
        _api = fixture.Server.Api();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task<long> CreateAsync(object notification)
    {
        using var response = await _api.PostAsJsonAsync(Path, new
        {
            operation_type = "health_check",
            device_targets = new[] { "notify-01" },
            parameters = new { check_network_connectivity = false, check_running_services = false, disk_threshold_percent = 1 },
            notification,
        });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return long.Parse(body.GetProperty("id").GetString()!["txn_".Length..]);
    }

    private async Task<List<NotificationDelivery>> DeliveriesAsync(long operationId, int count) =>
        await Eventually.Until(async () =>
        {
            await using var db = _fixture.Server.Db();
            return await db.NotificationDeliveries.AsNoTracking().Where(d => d.OperationId == operationId).OrderBy(d => d.Id).ToListAsync();
        }, d => d.Count >= count, $"{count} deliveries for operation {operationId}", TimeSpan.FromSeconds(60));

    /// <summary>A webhook receiver on a loopback port that answers the first <paramref name="failures"/> requests 500.</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private int _seen;

        public Receiver(int failures)
        {
            Url = $"http://127.0.0.1:{FreePort()}/hook/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception error) when (error is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }
                    using var body = new MemoryStream();
                    await context.Request.InputStream.CopyToAsync(body);
                    Requests.Enqueue((body.ToArray(), context.Request.Headers["X-Fleet-Signature"]));
                    context.Response.StatusCode = Interlocked.Increment(ref _seen) <= failures ? 500 : 200;
                    context.Response.Close();
                }
            });
        }

        public string Url { get; }

        public ConcurrentQueue<(byte[] Body, string? Signature)> Requests { get; } = new();

        public void Dispose() => _listener.Close();
    }

    [Fact]
    public async Task Webhook_IsSignedWithTheInstallationSecret_AndCarriesTheResult()
    {
        using var receiver = new Receiver(failures: 0);
        var id = await CreateAsync(new { on_completion = true, webhook_url = receiver.Url });

        var delivery = Assert.Single(await DeliveriesAsync(id, 1));

        Assert.True(delivery.Succeeded);
        Assert.Equal(200, delivery.StatusCode);
        var (body, signature) = Assert.Single(receiver.Requests);
        var key = await _fixture.Server.Get<WebhookSecret>().KeyAsync();
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, body)), signature);
        var payload = JsonDocument.Parse(body).RootElement;
        Assert.Equal($"txn_{id}", payload.GetProperty("operation_id").GetString());
        Assert.Equal("completed", payload.GetProperty("status").GetString());
        var device = Assert.Single(payload.GetProperty("devices").EnumerateArray());
        Assert.Equal("notify-01", device.GetProperty("device_name").GetString());
        Assert.Equal("unhealthy", device.GetProperty("result").GetString());
        Assert.EndsWith($"?id=txn_{id}", payload.GetProperty("monitoring_url").GetString());
    }

    [Fact]
    public async Task Webhook_ThatFailsTwice_IsRetried_AndEveryAttemptIsRecorded()
    {
        using var receiver = new Receiver(failures: 2);
        var id = await CreateAsync(new { on_completion = true, webhook_url = receiver.Url });

        var deliveries = await DeliveriesAsync(id, 3);

        Assert.Equal([(1, false, 500), (2, false, 500), (3, true, 200)], deliveries.Select(d => (d.Attempt, d.Succeeded, d.StatusCode ?? 0)));
        Assert.Equal(3, receiver.Requests.Count);
    }

    [Fact]
    public async Task Webhook_ToALoopbackAddress_IsRefusedUnlessAnAdminAllowsIt()
    {
        using var strict = new FleetServer();
        using var receiver = new Receiver(failures: 0);

        var attempts = await strict.Get<WebhookSender>().SendAsync(new Uri(receiver.Url), "{}"u8.ToArray(), CancellationToken.None);

        var attempt = Assert.Single(attempts);
        Assert.False(attempt.Succeeded);
        Assert.Contains("AllowPrivateAddresses", attempt.Error);
        Assert.Empty(receiver.Requests);
    }

    private sealed class Inbox : MessageStore
    {
        public ConcurrentQueue<byte[]> Messages { get; } = new();

        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken ct)
        {
            Messages.Enqueue(buffer.ToArray());
            return Task.FromResult(SmtpResponse.Ok);
        }
    }

    [Fact]
    public async Task Email_GoesToARealSmtpServer_WithTheOperationAndItsDevices()
    {
        var inbox = new Inbox();
        var options = new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Fixture.SmtpPort))).Build();
        var provider = new SmtpServer.ComponentModel.ServiceProvider();
        provider.Add(inbox);
        var smtp = new SmtpServer.SmtpServer(options, provider);
        using var stop = new CancellationTokenSource();
        var running = smtp.StartAsync(stop.Token);
        try
        {
            var id = await CreateAsync(new { on_failure = false, on_completion = true, email = "ops@example.test" });

            var delivery = Assert.Single(await DeliveriesAsync(id, 1));

            Assert.True(delivery.Succeeded, delivery.Reply);
            Assert.Equal(NotificationChannel.Email, delivery.Channel);
            var message = MimeKit.MimeMessage.Load(new MemoryStream(Assert.Single(inbox.Messages)));
            Assert.Equal("ops@example.test", message.To.Mailboxes.Single().Address);
            Assert.Equal("fleet@example.test", message.From.Mailboxes.Single().Address);
            Assert.Contains($"txn_{id}", message.Subject);
            Assert.Contains("notify-01: completed, unhealthy", message.TextBody);
        }
        finally
        {
            await stop.CancelAsync();
            smtp.Shutdown();
            await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(5)));
        }
    }
}
