using Fleet.Web.Engine.Operations.Notifications;

namespace Fleet.Tests.Components.Fakes;

public sealed class FakeWebhookSecret : IWebhookSecretAdmin
{
    public bool IsConfigured { get; set; }
    public int Rotations { get; private set; }

    public Task<string> RotateAsync(CancellationToken ct = default)
    {
        Rotations++;
        return Task.FromResult($"new-webhook-secret-{Rotations}");
    }
}
