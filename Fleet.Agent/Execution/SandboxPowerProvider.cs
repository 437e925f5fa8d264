namespace Fleet.Agent.Execution;

/// <summary>
/// For tests and labs: never touches the machine. Logs each request to <c>{state-dir}/sandbox-power.log</c> and, once the
/// delay has passed, calls <c>onPowerAction</c> so the caller can act out the host going down and coming back.
/// </summary>
public sealed class SandboxPowerProvider(string stateDir, Func<PowerAction, TimeSpan, Task> onPowerAction, TimeProvider? clock = null) : IPowerProvider
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly string _logPath = Path.Combine(stateDir, "sandbox-power.log");
    private readonly Lock _logGate = new();

    public Task RequestAsync(PowerAction action, TimeSpan delay, string? message, bool force)
    {
        if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
        lock (_logGate)
        {
            Directory.CreateDirectory(stateDir);
            File.AppendAllText(_logPath,
                $"{_clock.GetUtcNow():O} {action.ToString().ToLowerInvariant()} delay={delay.TotalSeconds:0}s force={force.ToString().ToLowerInvariant()} message={message?.ReplaceLineEndings(" ")}{Environment.NewLine}");
        }
        // A real reboot also happens after the request has been answered, so the caller must not wait for the callback.
        _ = Task.Run(async () =>
        {
            await Task.Delay(delay, _clock);
            await onPowerAction(action, delay);
        });
        return Task.CompletedTask;
    }
}
