using System.Data;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Npgsql;

namespace Go1.Orders.Infrastructure.Persistence;

/// <summary>
/// Group commit for order creation. Concurrent creates queue here; a writer (<see cref="OrderWriteOptions.Writers"/>,
/// one by default) takes everything queued, up to <see cref="OrderWriteOptions.MaxBatch"/>, into one INSERT
/// statement: one round trip, one implicit transaction and one WAL flush for all of them.
/// A lone create is written at once — a writer waits only for the first item, never for company — so batches
/// grow only when creates arrive faster than commits finish.
/// <para>
/// Each writer is a dedicated thread with its own connection, making blocking calls, like PostgreSQL's own WAL
/// writer. Batches are serial, so the time between one commit and the next caps throughput; here the writer
/// takes the next batch as soon as a commit returns, without a thread-pool hop, and each create's parameters
/// are built by its caller before it queues.
/// </para>
/// <para>
/// The batch is one statement (rows of one table share a VALUES list; every table but the last is a
/// data-modifying CTE), not a statement per row, because Npgsql sends the statements of a synchronous batch after
/// the first from its own scheduler thread: PostgreSQL then got them in pieces, flushed a reply after each piece
/// and the writer woke for each. One statement goes out in one write from the writer and is answered once
/// (the measurement is in bench/README.md).
/// </para>
/// A batch is all or nothing, so when one fails with an SQL error (a reused idempotency key, say) its creates
/// are written again one by one and only the culprit fails; a connection failure fails them all, as it
/// would have failed each alone, and the next batch opens a new connection.
/// </summary>
public sealed class OrderWriteBatcher : IAsyncDisposable
{
    public const string SourceName = "Go1.Orders.Writes";
    private static readonly ActivitySource Source = new(SourceName);

    private readonly NpgsqlDataSource _dataSource;
    private readonly int _maxBatch;
    private readonly Queue<Pending> _queue = new(); // guarded by itself; writers wait on it
    private readonly SemaphoreSlim _room;
    private readonly Task[] _writers;
    private readonly Histogram<int> _batchSize;
    private bool _completed;

    public OrderWriteBatcher(NpgsqlDataSource dataSource, OrderWriteOptions options, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meterFactory);
        _dataSource = dataSource;
        _maxBatch = options.MaxBatch;
        // Bounded: when the database falls behind, requests wait to enqueue rather than pile up in memory.
        _room = new SemaphoreSlim(4 * options.MaxBatch * options.Writers);
        _batchSize = meterFactory.Create(SourceName).CreateHistogram<int>(
            "go1.orders.write_batch.size", "{order}", "Orders created per database round trip and commit.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128] });
        _writers = [.. Enumerable.Range(0, options.Writers).Select(StartWriter)];
    }

    /// <summary>
    /// Inserts <paramref name="rows"/> (those of one create, in one or more tables) in a transaction shared with
    /// other creates queued at the same time; completes once it has committed.
    /// </summary>
    public async Task WriteAsync(IReadOnlyList<Row> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var pending = new Pending(rows, Activity.Current?.Context ?? default, cancellationToken);
        await _room.WaitAsync(cancellationToken);
        lock (_queue)
        {
            if (_completed)
            {
                _room.Release();
                throw new ObjectDisposedException(nameof(OrderWriteBatcher));
            }

            _queue.Enqueue(pending);
            Monitor.Pulse(_queue);
        }

        await pending.Done.Task;
    }

    private Task StartWriter(int index)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                WriteLoop();
                stopped.SetResult();
            }
            catch (Exception ex)
            {
                stopped.SetException(ex);
            }
        })
        { IsBackground = true, Name = $"Go1 order writer {index}" }.Start();
        return stopped.Task;
    }

    private void WriteLoop()
    {
        var batch = new List<Pending>(_maxBatch);
        NpgsqlConnection? connection = null;
        try
        {
            while (Take(batch))
            {
                connection = Write(batch, connection);
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    /// <summary>Blocks until creates are queued and takes up to a batch of them; false once disposed and drained.</summary>
    private bool Take(List<Pending> batch)
    {
        batch.Clear();
        lock (_queue)
        {
            while (batch.Count == 0)
            {
                while (_queue.Count == 0)
                {
                    if (_completed)
                    {
                        return false;
                    }

                    Monitor.Wait(_queue);
                }

                while (batch.Count < _maxBatch && _queue.TryDequeue(out var pending))
                {
                    _room.Release();
                    if (pending.CancellationToken.IsCancellationRequested)
                    {
                        pending.Done.TrySetCanceled(pending.CancellationToken); // its caller is gone: write nothing
                    }
                    else
                    {
                        batch.Add(pending);
                    }
                }
            }
        }

        return true;
    }

    /// <summary>Writes one batch; returns the connection for the next one, or null when this one is broken.</summary>
    private NpgsqlConnection? Write(List<Pending> batch, NpgsqlConnection? connection)
    {
        try
        {
            connection ??= _dataSource.OpenConnection();
            Execute(batch, connection);
            batch.ForEach(p => p.Done.TrySetResult());
            return connection;
        }
        catch (Exception ex) when (connection is not { State: ConnectionState.Open })
        {
            batch.ForEach(p => p.Done.TrySetException(ex)); // as each would have failed alone
            connection?.Dispose(); // the next batch opens a new one
            return null;
        }
        catch (PostgresException) when (batch.Count > 1)
        {
            foreach (var pending in batch)
            {
                connection = Write([pending], connection);
            }

            return connection;
        }
        catch (Exception ex)
        {
            batch.ForEach(p => p.Done.TrySetException(ex));
            return connection;
        }
    }

    private void Execute(List<Pending> batch, NpgsqlConnection connection)
    {
        // The batch's span continues the first request's trace and links the others, so every request's
        // trace leads to the statement that wrote it.
        using var activity = Source.StartActivity(
            "orders write batch", ActivityKind.Internal, batch[0].Trace,
            links: batch.Skip(1).Where(p => p.Trace != default).Select(p => new ActivityLink(p.Trace)));
        activity?.SetTag("go1.orders.batch_size", batch.Count);
        using var command = new NpgsqlCommand(null, connection);
        try
        {
            command.CommandText = Statement(batch, command.Parameters);
            command.ExecuteNonQuery();
        }
        finally
        {
            command.Parameters.Clear(); // frees each parameter for a retry in a statement of its own
        }

        _batchSize.Record(batch.Count);
    }

    /// <summary>
    /// One INSERT for every row of the batch: <c>WITH r0 AS (INSERT INTO a ... VALUES (...), (...)) INSERT INTO b ...</c>.
    /// A table's rows share its VALUES list, so a batch of one shape always gets the same text (and prepared statement).
    /// </summary>
    private static string Statement(List<Pending> batch, NpgsqlParameterCollection parameters)
    {
        var tables = batch.SelectMany(p => p.Rows).GroupBy(r => r.Into).ToList();
        var sql = new StringBuilder();
        for (var t = 0; t < tables.Count; t++)
        {
            var cte = t < tables.Count - 1;
            sql.Append(t == 0 ? (cte ? "WITH " : "") : (cte ? ", " : " "));
            if (cte)
            {
                sql.Append('r').Append(t).Append(" AS (");
            }

            sql.Append("INSERT INTO ").Append(tables[t].Key.Table).Append(" (").Append(tables[t].Key.Columns).Append(") VALUES ");
            var first = true;
            foreach (var row in tables[t])
            {
                sql.Append(first ? "(" : ", (");
                first = false;
                for (var v = 0; v < row.Values.Count; v++)
                {
                    parameters.Add(row.Values[v]);
                    sql.Append(v == 0 ? "$" : ", $").Append(parameters.Count);
                }

                sql.Append(')');
            }

            if (cte)
            {
                sql.Append(')');
            }
        }

        return sql.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        lock (_queue)
        {
            _completed = true;
            Monitor.PulseAll(_queue);
        }

        await Task.WhenAll(_writers); // what is queued is still written
        _room.Dispose();
    }

    private sealed record Pending(IReadOnlyList<Row> Rows, ActivityContext Trace, CancellationToken CancellationToken)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>A table and the columns a create inserts into it; <see cref="Of"/> makes one row's parameters.</summary>
public sealed class RowInsert(string table, params string[] columns)
{
    public string Table { get; } = table;

    public string Columns { get; } = string.Join(", ", columns);

    /// <summary>A row of <paramref name="values"/>, one per column; a value may be an <see cref="NpgsqlParameter"/> that names its type.</summary>
    public Row Of(params object?[] values)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(values.Length, columns.Length, nameof(values));
        return new Row(this, Parameters(values));
    }

    /// <summary>Positional parameters for <paramref name="values"/>; null becomes SQL NULL.</summary>
    public static NpgsqlParameter[] Parameters(params object?[] values) =>
        [.. values.Select(v => v as NpgsqlParameter ?? new NpgsqlParameter { Value = v ?? DBNull.Value })];
}

/// <summary>One row to insert: its table and a parameter per column, built on the caller's thread.</summary>
public sealed record Row(RowInsert Into, IReadOnlyList<NpgsqlParameter> Values);
