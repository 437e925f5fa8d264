using System.Buffers;
using System.IO.Pipelines;
using Fleet.Web.Engine;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Fleet.Web.Hubs;

/// <summary>
/// What an agent connection may do before the server knows who it is. SignalR has one message-size limit per hub, and the
/// agent hub's must be large (a full inventory is one message), so an anonymous connection is held to a small limit here, at
/// the transport, before any message is parsed; and one that never says hello is dropped instead of holding a socket.
/// </summary>
public sealed class AgentConnectionGate
{
    private int _state; // 0 = anonymous, 1 = said hello (waiting), 2 = accepted
    private Timer? _helloTimer;

    public bool SaidHello => Volatile.Read(ref _state) >= 1;
    public bool IsAccepted => Volatile.Read(ref _state) == 2;

    /// <summary>The hello was answered (waiting for approval or a secret's confirmation): no longer dropped by the hello timer.</summary>
    public void MarkHello()
    {
        Interlocked.CompareExchange(ref _state, 1, 0);
        // Its job is done: not one timer held per connected agent for the connection's lifetime.
        Interlocked.Exchange(ref _helloTimer, null)?.Dispose();
    }

    /// <summary>An authenticated agent: large messages (inventory) are allowed from now on.</summary>
    public void MarkAccepted() => Volatile.Write(ref _state, 2);

    public static IEndpointConventionBuilder Map(IEndpointRouteBuilder app, string path)
    {
        var conventions = app.MapConnections(path, new HttpConnectionDispatcherOptions(), connection => connection
            .Use(next => context => GuardAsync(context, next, app.ServiceProvider))
            .UseHub<AgentHub>());
        // What MapHub would add: the hub's own attributes ([AllowAnonymous]) and the marker SignalR looks for.
        conventions.Add(endpoint =>
        {
            endpoint.Metadata.Add(new AllowAnonymousAttribute());
            endpoint.Metadata.Add(new HubMetadata(typeof(AgentHub)));
        });
        return conventions;
    }

    private static async Task GuardAsync(ConnectionContext connection, ConnectionDelegate next, IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptionsMonitor<AgentOptions>>().CurrentValue;
        var gate = new AgentConnectionGate();
        connection.Features.Set(gate);
        var transport = connection.Transport;
        connection.Transport = new GatedPipe(transport, new GatedReader(transport.Input, gate, connection, Math.Max(1024, options.PreHelloMaxMessageBytes)));
        var timeout = TimeSpan.FromSeconds(Math.Max(0.1, options.HelloTimeoutSeconds));
        gate._helloTimer = new Timer(_ =>
        {
            if (!gate.SaidHello) connection.Abort(new ConnectionAbortedException("No hello within the time allowed."));
        }, null, timeout, Timeout.InfiniteTimeSpan);
        try
        {
            await next(connection);
        }
        finally
        {
            Interlocked.Exchange(ref gate._helloTimer, null)?.Dispose();
            connection.Transport = transport;
        }
    }

    private sealed class GatedPipe(IDuplexPipe inner, PipeReader input) : IDuplexPipe
    {
        public PipeReader Input => input;
        public PipeWriter Output => inner.Output;
    }

    /// <summary>
    /// The protocol parser leaves an incomplete message unconsumed, so the bytes buffered here are at least the size of the
    /// message being received: over the limit before acceptance means an oversized message, and the connection is cut.
    /// </summary>
    private sealed class GatedReader(PipeReader inner, AgentConnectionGate gate, ConnectionContext connection, long limit) : PipeReader
    {
        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) =>
            Check(await inner.ReadAsync(cancellationToken));

        public override bool TryRead(out ReadResult result)
        {
            if (!inner.TryRead(out result)) return false;
            result = Check(result);
            return true;
        }

        private ReadResult Check(ReadResult result)
        {
            if (gate.IsAccepted || result.Buffer.Length <= limit) return result;
            connection.Abort(new ConnectionAbortedException($"Message over {limit} bytes before the agent was accepted."));
            // End of input for the parser: nothing of the oversized message is handed on.
            return new ReadResult(result.Buffer.Slice(result.Buffer.Start, 0), isCanceled: false, isCompleted: true);
        }

        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);
        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);
        public override void CancelPendingRead() => inner.CancelPendingRead();
        public override void Complete(Exception? exception = null) => inner.Complete(exception);
    }
}
