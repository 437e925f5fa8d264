using Fleet.Web.Data;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fleet.Tests.Data;

public sealed class BatchWriterTests : IAsyncLifetime
{
    private readonly RecordingWriter _writer = new();

    public Task InitializeAsync() => _writer.StartAsync(CancellationToken.None);

    public async Task DisposeAsync()
    {
        _writer.Release();
        await _writer.StopAsync(CancellationToken.None);
        _writer.Dispose();
    }

    [Fact]
    public async Task Idle_AnItemIsWrittenAtOnceAlone()
    {
        _writer.Release();
        await _writer.WriteAsync(1).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(new[] { new[] { 1 } }, _writer.Batches);
    }

    [Fact]
    public async Task Busy_ItemsGatherIntoTheNextBatch()
    {
        var first = _writer.WriteAsync(1);
        await _writer.Writing.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var rest = Enumerable.Range(2, 5).Select(_writer.WriteAsync).ToList();
        _writer.Release();
        await Task.WhenAll(rest.Prepend(first)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(new[] { new[] { 1 }, new[] { 2, 3, 4, 5, 6 } }, _writer.Batches);
    }

    [Fact]
    public async Task FailingBatch_IsRetriedItemByItem_SoOnlyTheBadItemFails()
    {
        var first = _writer.WriteAsync(1);
        await _writer.Writing.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var good = _writer.WriteAsync(2);
        var bad = _writer.WriteAsync(RecordingWriter.Bad);
        var alsoGood = _writer.WriteAsync(3);
        _writer.Release();
        await Task.WhenAll(first, good, alsoGood).WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<InvalidOperationException>(() => bad.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(new[] { new[] { 1 }, new[] { 2 }, new[] { 3 } }, _writer.Batches);
    }

    [Fact]
    public async Task BatchRefusedForAWriteConflict_IsWrittenAgainWhole_NotSplit()
    {
        var first = _writer.WriteAsync(1);
        await _writer.Writing.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var conflicted = _writer.WriteAsync(RecordingWriter.ConflictOnce);
        var other = _writer.WriteAsync(2);
        _writer.Release();
        await Task.WhenAll(first, conflicted, other).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(new[] { new[] { 1 }, new[] { RecordingWriter.ConflictOnce, 2 } }, _writer.Batches);
    }

    [Fact]
    public void SerializationFailureAndDeadlock_AreWriteConflicts_AUniqueViolationIsNot()
    {
        static Exception Refused(string sqlState) =>
            new Microsoft.EntityFrameworkCore.DbUpdateException("save failed", new Npgsql.PostgresException("refused", "ERROR", "ERROR", sqlState));
        Assert.True(DbErrors.IsWriteConflict(Refused("40001")));
        Assert.True(DbErrors.IsWriteConflict(Refused("40P01")));
        Assert.False(DbErrors.IsWriteConflict(Refused("23505")));
        Assert.False(DbErrors.IsWriteConflict(new InvalidOperationException("bad item")));
    }

    /// <summary>Records each committed batch; the first write waits for <see cref="Release"/> so the test can make it busy.</summary>
    private sealed class RecordingWriter() : BatchWriter<int>(100, NullLogger.Instance)
    {
        public const int Bad = -1;
        public const int ConflictOnce = -2;
        private bool _conflicted;
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Writing { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public List<int[]> Batches { get; } = [];

        public Task WriteAsync(int item) => EnqueueAsync(item);

        public void Release() => _released.TrySetResult();

        protected override async Task WriteBatchAsync(IReadOnlyList<int> items)
        {
            Writing.TrySetResult();
            await _released.Task;
            if (items.Contains(Bad)) throw new InvalidOperationException("bad item");
            // Another instance committed to the same rows first: PostgreSQL refuses the whole transaction once.
            if (items.Contains(ConflictOnce) && !_conflicted)
            {
                _conflicted = true;
                throw new Microsoft.EntityFrameworkCore.DbUpdateException("save failed",
                    new Npgsql.PostgresException("could not serialize access due to concurrent update", "ERROR", "ERROR", "40001"));
            }
            lock (Batches) Batches.Add([.. items]);
        }
    }
}
