using Fleet.Agent.Execution;
using Fleet.Domain.Agents;

namespace Fleet.Tests.Agent.Execution;

/// <summary>Holds the server's answer to the first result until the test says so; later results are answered at once.</summary>
public sealed class HeldReporter : ICommandReporter
{
    private readonly TaskCompletionSource _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly List<CommandResultMessage> _results = [];

    public Task FirstResultSent => _sent.Task;

    public IReadOnlyList<CommandResultMessage> Results
    {
        get { lock (_gate) return [.. _results]; }
    }

    public void Answer() => _answer.TrySetResult();

    public Task StartedAsync(Guid commandId) => Task.CompletedTask;

    public Task OutputAsync(CommandOutputBatch batch) => Task.CompletedTask;

    public Task FinishedAsync(CommandResultMessage result)
    {
        bool first;
        lock (_gate)
        {
            _results.Add(result);
            first = _results.Count == 1;
        }
        _sent.TrySetResult();
        return first ? _answer.Task : Task.CompletedTask;
    }
}
