namespace Fleet.Agent.Execution;

/// <summary>
/// For tests and labs: never touches the machine. Logs each request to <c>{state-dir}/sandbox-power.log</c> and, once the
/// delay has passed, calls <c>onPowerAction</c> so the caller can act out the host going down and coming back.
/// </summary>
/// <param name="rebootChangesBootId">False acts out an agent that reconnects although the machine did not restart.</param>
public sealed class SandboxPowerProvider(string stateDir, Func<PowerAction, TimeSpan, Task> onPowerAction, TimeProvider? clock = null,
    bool rebootChangesBootId = true) : IPowerProvider
{
    private readonly string _bootIdPath = Path.Combine(stateDir, "sandbox-boot-id");

    /// <summary>The acted-out machine's boot id, kept in the state dir; a reboot gives it a new one, as the kernel would.</summary>
    public string BootId
    {
        get
        {
            lock (_logGate)
            {
                if (File.Exists(_bootIdPath)) return File.ReadAllText(_bootIdPath).Trim();
                Directory.CreateDirectory(stateDir);
                var id = Guid.NewGuid().ToString();
                File.WriteAllText(_bootIdPath, id);
                return id;
            }
        }
    }

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
            if (action == PowerAction.Reboot && rebootChangesBootId)
                lock (_logGate) File.WriteAllText(_bootIdPath, Guid.NewGuid().ToString());
            await onPowerAction(action, delay);
        });
        return Task.CompletedTask;
    }
}
