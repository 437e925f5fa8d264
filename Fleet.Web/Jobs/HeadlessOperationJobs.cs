using Fleet.Web.Engine.Operations;

namespace Fleet.Web.Jobs;

/// <summary>Hangfire's entry points for headless operations: ids only, and safe to run twice (the service checks the database).</summary>
public sealed class HeadlessOperationJobs(HeadlessOperationService operations)
{
    public Task OccurAsync(long operationId) => operations.OccurAsync(operationId);

    public Task RetryAsync(long operationRunId) => operations.RetryAsync(operationRunId);
}
