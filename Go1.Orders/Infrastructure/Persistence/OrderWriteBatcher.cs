using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Npgsql;

namespace Go1.Orders.Infrastructure.Persistence;

/// <summary>
/// Group commit for order creation. Concurrent creates queue here; a writer (<see cref="OrderWriteOptions.Writers"/>,
/// one by default) takes everything queued, up to <see cref="OrderWriteOptions.MaxBatch"/>, into one
/// <see cref="NpgsqlBatch"/>: one round trip, one implicit transaction and one WAL flush for all of them. A lone create is written at once — a writer waits only for
/// the first item, never for company — so batches grow only when creates arrive faster than commits finish.
/// A batch is all or nothing, so when one fails with an SQL error (a reused idempotency key, say) its creates
/// are written again one by one and only the culprit fails; a connection failure fails them all, as it
/// would have failed each alone.
/// </summary>
public sealed class OrderWriteBatcher : IAsyncDisposable
{
    public const string SourceName = "Go1.Orders.Writes";
    private static readonly ActivitySource Source = new(SourceName);

    private readonly NpgsqlDataSource _dataSource;
    private readonly int _maxBatch;
    private readonly Channel<Pending> _queue;
    private readonly Task[] _writers;
    private readonly Histogram<int> _batchSize;

    public OrderWriteBatcher(NpgsqlDataSource dataSource, OrderWriteOptions options, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meterFactory);
        _dataSource = dataSource;
        _maxBatch = options.MaxBatch;
        // Bounded: when the database falls behind, requests wait to enqueue rather than pile up in memory.
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(4 * options.MaxBatch * options.Writers) { FullMode = BoundedChannelFullMode.Wait });
        _batchSize = meterFactory.Create(SourceName).CreateHistogram<int>(
            "go1.orders.write_batch.size", "{order}", "Orders created per database round trip and commit.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128] });
        _writers = [.. Enumerable.Range(0, options.Writers).Select(_ => Task.Run(WriteLoopAsync))];
    }

    /// <summary>
    /// Runs <paramref name="commands"/> (the statements of one create) in a transaction shared with other
    /// creates queued at the same time; completes once it has committed. <paramref name="commands"/> may be
    /// called more than once and must return new commands each time.
    /// </summary>
    public async Task WriteAsync(Func<IEnumerable<NpgsqlBatchCommand>> commands, CancellationToken cancellationToken)
    {
        var pending = new Pending(commands, Activity.Current?.Context ?? default, cancellationToken);
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        await pending.Done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var pending))
            {
                if (pending.CancellationToken.IsCancellationRequested)
                {
                    pending.Done.TrySetCanceled(pending.CancellationToken); // its caller is gone: write nothing
                }
                else
                {
                    batch.Add(pending);
                }
            }

            if (batch.Count > 0)
            {
                await WriteBatchAsync(batch);
            }
        }
    }

    private async Task WriteBatchAsync(List<Pending> batch)
    {
        try
        {
            await ExecuteAsync(batch);
            batch.ForEach(p => p.Done.TrySetResult());
        }
        catch (PostgresException) when (batch.Count > 1)
        {
            foreach (var pending in batch)
            {
                await WriteBatchAsync([pending]);
            }
        }
        catch (Exception ex)
        {
            batch.ForEach(p => p.Done.TrySetException(ex));
        }
    }

    private async Task ExecuteAsync(List<Pending> batch)
    {
        // The batch's span continues the first request's trace and links the others, so every request's
        // trace leads to the statement that wrote it.
        using var activity = Source.StartActivity(
            "orders write batch", ActivityKind.Internal, batch[0].Trace,
            links: batch.Skip(1).Where(p => p.Trace != default).Select(p => new ActivityLink(p.Trace)));
        activity?.SetTag("go1.orders.batch_size", batch.Count);
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlBatch(connection);
        foreach (var pending in batch)
        {
            foreach (var statement in pending.Commands())
            {
                command.BatchCommands.Add(statement);
            }
        }

        await command.ExecuteNonQueryAsync();
        _batchSize.Record(batch.Count);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers); // what is queued is still written
    }

    private sealed record Pending(Func<IEnumerable<NpgsqlBatchCommand>> Commands, ActivityContext Trace, CancellationToken CancellationToken)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
