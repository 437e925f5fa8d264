using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using Fleet.Domain.Operations;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Fleet.Web.Engine.Operations.Notifications;

/// <param name="StatusCode">Null when nothing answered.</param>
public sealed record WebhookAttempt(int Attempt, int? StatusCode, string? Error, DateTimeOffset At)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>
/// POSTs a signed JSON body to a webhook, retried with backoff by the resilience pipeline, and reports every attempt.
/// Each connection is made only to addresses <see cref="AddressPolicy"/> allows (checked on the address actually dialled,
/// so a name that resolves differently on the second lookup gains nothing).
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, WebhookSecret secret, IOptions<NotificationOptions> options, TimeProvider clock)
{
    public const string ClientName = "fleet-webhooks";
    public const string SignatureHeader = "X-Fleet-Signature";

    private static readonly HttpRequestOptionsKey<List<WebhookAttempt>> AttemptsKey = new("fleet-webhook-attempts");

    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookSecret>();
        services.AddSingleton<IWebhookSecretAdmin>(sp => sp.GetRequiredService<WebhookSecret>());
        services.AddTransient<AttemptRecorder>();
        var client = services.AddHttpClient(ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var options = sp.GetRequiredService<IOptions<NotificationOptions>>().Value;
                return new SocketsHttpHandler { AllowAutoRedirect = false, ConnectCallback = (context, ct) => ConnectAsync(context, options.AllowPrivateAddresses, ct) };
            });
        // Outermost first: the retry pipeline, then the recorder inside it, which sees every attempt.
        client.AddResilienceHandler("webhook", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<NotificationOptions>>().Value;
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = Math.Clamp(options.WebhookRetries, 0, 10),
                    Delay = TimeSpan.FromMilliseconds(Math.Max(1, options.WebhookRetryDelayMilliseconds)),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(Math.Max(1, options.WebhookTimeoutSeconds)));
            });
        client.AddHttpMessageHandler<AttemptRecorder>();
    }

    public static string Sign(byte[] body, byte[] key) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, body));

    public async Task<IReadOnlyList<WebhookAttempt>> SendAsync(Uri url, byte[] body, CancellationToken ct)
    {
        // Refused before sending, so a forbidden address is not retried; the connect callback checks again what is dialled.
        if (await RefusalAsync(url.IdnHost, ct) is { } refusal) return [new WebhookAttempt(1, null, refusal, clock.GetUtcNow())];
        var attempts = new List<WebhookAttempt>();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(SignatureHeader, Sign(body, await secret.KeyAsync(ct)));
        request.Options.Set(AttemptsKey, attempts);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, ct);
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException or TimeoutException or Polly.Timeout.TimeoutRejectedException && !ct.IsCancellationRequested)
        {
            // Every attempt is already recorded; one the pipeline gave up on before sending is recorded here.
            if (attempts.Count == 0) attempts.Add(new WebhookAttempt(1, null, error.Message, clock.GetUtcNow()));
        }
        return attempts;
    }

    /// <summary>Sits inside the retry pipeline, so it sees each attempt.</summary>
    private sealed class AttemptRecorder(TimeProvider clock) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var attempts = request.Options.TryGetValue(AttemptsKey, out var list) ? list : [];
            try
            {
                var response = await base.SendAsync(request, ct);
                attempts.Add(new WebhookAttempt(attempts.Count + 1, (int)response.StatusCode, null, clock.GetUtcNow()));
                return response;
            }
            catch (Exception error) when (error is HttpRequestException or OperationCanceledException)
            {
                attempts.Add(new WebhookAttempt(attempts.Count + 1, null, error.Message, clock.GetUtcNow()));
                throw;
            }
        }
    }

    private async Task<string?> RefusalAsync(string host, CancellationToken ct)
    {
        try
        {
            _ = await AllowedAddressesAsync(host, options.Value.AllowPrivateAddresses, ct);
            return null;
        }
        catch (Exception error) when (error is HttpRequestException or SocketException)
        {
            return error.Message;
        }
    }

    private static async Task<IPAddress[]> AllowedAddressesAsync(string host, bool allowPrivate, CancellationToken ct)
    {
        var resolved = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var allowed = allowPrivate ? resolved : resolved.Where(AddressPolicy.IsPublic).ToArray();
        if (allowed.Length == 0)
            throw new HttpRequestException($"'{host}' is a private, loopback or link-local address; webhooks may not reach it (Fleet:Notifications:AllowPrivateAddresses).");
        return allowed;
    }

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowPrivate, CancellationToken ct)
    {
        var allowed = await AllowedAddressesAsync(context.DnsEndPoint.Host, allowPrivate, ct);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
