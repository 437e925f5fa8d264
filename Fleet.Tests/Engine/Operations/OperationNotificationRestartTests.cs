using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Fleet.Domain.Operations;
using Fleet.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Fleet.Tests.Engine.Operations;

/// <summary>An occurrence that ended just before the server stopped is still told about, once, by the next server.</summary>
public sealed class OperationNotificationRestartTests
{
    private const string Path = "/api/v1/inventory_device_name_headless_operation/";

    private static Dictionary<string, string?> Settings() => new()
    {
        ["Fleet:Notifications:AllowPrivateAddresses"] = "true",
        ["Fleet:Notifications:WebhookRetryDelayMilliseconds"] = "20",
        // The first request is held unanswered until the server stops; it must not time out before.
        ["Fleet:Notifications:WebhookTimeoutSeconds"] = "120",
    };

    [Fact]
    public async Task Webhook_CutOffByAStop_IsSentOnceAfterTheRestart()
    {
        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fleet-tests", "notify-restart-" + Guid.NewGuid().ToString("N"));
        using var receiver = new HoldFirstReceiver();
        long id;
        using (var first = new FleetServer(Settings(), directory))
        {
            await first.StartAcceptedAgentAsync("notify-rs");
            using var api = first.Api();
            using var response = await api.PostAsJsonAsync(Path, new
            {
                operation_type = "health_check",
                device_targets = new[] { "notify-rs" },
                parameters = new { check_network_connectivity = false, check_running_services = false },
                notification = new { on_completion = true, webhook_url = receiver.Url },
            });
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
            id = long.Parse(body.GetProperty("id").GetString()!["txn_".Length..]);
            await receiver.FirstArrived.Task.WaitAsync(TimeSpan.FromSeconds(90));
        }

        await using (var db = new FleetServerDb(directory).Open())
        {
            Assert.Equal(OperationState.Finished, (await db.HeadlessOperations.AsNoTracking().SingleAsync(o => o.Id == id)).State);
            Assert.Equal(0, await db.NotificationDeliveries.CountAsync(d => d.OperationId == id));
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using var second = new FleetServer(Settings(), directory);
        var deliveries = await Eventually.Until(async () =>
        {
            await using var db = second.Db();
            return await db.NotificationDeliveries.AsNoTracking().Where(d => d.OperationId == id).ToListAsync();
        }, d => d.Count > 0, "the notification after the restart", TimeSpan.FromSeconds(60));

        var delivery = Assert.Single(deliveries);
        Assert.True(delivery.Succeeded);
        Assert.Equal(1, delivery.Occurrence);
        Assert.Single(receiver.Answered);
        Assert.Contains("\"operation.completed\"", receiver.Answered.Single());
        Directory.Delete(directory, recursive: true);
    }

    /// <summary>Reads a stopped server's database, the way the next server will find it.</summary>
    private sealed class FleetServerDb(string directory)
    {
        public Fleet.Web.Data.FleetDbContext Open() => new(new DbContextOptionsBuilder<Fleet.Web.Data.FleetDbContext>()
            .UseSqlite($"Data Source={System.IO.Path.Combine(directory, "fleet.db")}").Options);
    }

    /// <summary>A webhook receiver on a loopback port that never answers its first request and answers the others 200.</summary>
    private sealed class HoldFirstReceiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private int _seen;

        public HoldFirstReceiver()
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
                    if (Interlocked.Increment(ref _seen) == 1)
                    {
                        FirstArrived.TrySetResult();
                        continue;
                    }
                    using var reader = new StreamReader(context.Request.InputStream);
                    Answered.Enqueue(await reader.ReadToEndAsync());
                    context.Response.StatusCode = 200;
                    context.Response.Close();
                }
            });
        }

        public string Url { get; }

        public TaskCompletionSource FirstArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<string> Answered { get; } = new();

        public void Dispose() => _listener.Close();

        private static int FreePort()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }
    }
}
