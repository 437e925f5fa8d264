namespace Fleet.Web.Engine.Execution;

/// <summary>Hangfire entry points. They take ids only and are safe to run twice.</summary>
public sealed class InvocationJobs(InvocationService invocations)
{
    public const string RecurringIdPrefix = "recurring-logic:";

    public static string RecurringId(long recurringLogicId) => $"{RecurringIdPrefix}{recurringLogicId}";

    public Task StartAsync(long invocationId) => invocations.StartScheduledAsync(invocationId);

    public Task OccurAsync(long recurringLogicId) => invocations.OccurAsync(recurringLogicId);
}
