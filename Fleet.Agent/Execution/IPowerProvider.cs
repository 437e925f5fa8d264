namespace Fleet.Agent.Execution;

public enum PowerAction
{
    Reboot = 0,
    Shutdown = 1,
}

/// <summary>Reboots or powers off the host. Returns once the request is accepted, not when the machine goes down.</summary>
public interface IPowerProvider
{
    /// <exception cref="InvalidOperationException">The request was refused; the message says why.</exception>
    Task RequestAsync(PowerAction action, TimeSpan delay, string? message, bool force);
}
