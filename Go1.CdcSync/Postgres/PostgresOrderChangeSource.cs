using System.Text.Json.Nodes;
using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using Npgsql.Replication.PgOutput.Messages;
using NpgsqlTypes;

namespace Go1.CdcSync.Postgres;

/// <summary>
/// Order changes straight from PostgreSQL's logical replication (<c>pgoutput</c>), for environments without
/// Kafka Connect. Creates its publication and slot when missing, and projects the orders that already exist
/// from the slot's exported snapshot; the slot remembers how far the cache got, so a restart resumes where it left off. A transaction's end is acknowledged only after each of its changes
/// has been applied — a crash in between replays them (the cache's version guard makes that harmless).
/// </summary>
public sealed partial class PostgresOrderChangeSource(
    string connectionString, PostgresChangeSourceOptions options, ILogger<PostgresOrderChangeSource> logger) : IOrderChangeSource
{
    private const string Table = "orders";

    /// <summary>Changes written to the cache in one round trip, at the most.</summary>
    public const int MaxBatch = 256;

    /// <summary>Batches under way at once; the stream waits when this many are unfinished.</summary>
    private const int MaxBatchesInFlight = 4;

    public string Name => "postgres";

    public async Task RunAsync(Func<IReadOnlyList<OrderChange>, CancellationToken, Task> apply, Action streaming, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(apply);
        ArgumentNullException.ThrowIfNull(streaming);
        await EnsurePublicationAsync(cancellationToken);
        if (await ScalarAsync("SELECT active_pid FROM pg_replication_slots WHERE slot_name = $1 AND active", options.Slot, cancellationToken) is int pid)
        {
            throw Taken($"PostgreSQL backend {pid}");
        }

        await using var replication = new LogicalReplicationConnection(connectionString);
        await replication.Open(cancellationToken);
        await EnsureSlotAsync(replication, apply, cancellationToken);

        LogStreaming(logger, options.Slot, options.Publication);
        streaming();
        // A batch that cannot be decoded ends the stream at once, even when no change follows it to notice the failure.
        var decodeFailed = new CancellationTokenSource(); // not disposed: a write finishing after the end may still cancel it
        using var streamCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, decodeFailed.Token);
        var stream = replication.StartReplication(
            new PgOutputReplicationSlot(options.Slot), new PgOutputReplicationOptions(options.Publication, PgOutputProtocolVersion.V1), streamCancellation.Token);
        var inFlight = new SemaphoreSlim(MaxBatchesInFlight); // not disposed: writes still finishing after a failure release it
        DateTimeOffset? committedAt = null;
        var batch = new List<RowChange>();
        string[] columns = [];
        NpgsqlLogSequenceNumber? committed = null; // the end of the last transaction whose changes are all in the batch
        var acknowledged = Task.CompletedTask;
        var handedOver = Task.CompletedTask; // the last batch's changes have been handed to apply

        // Changes are gathered while the stream has more at hand, and written as one batch when it has none (or the batch
        // is full): under load one round trip carries many transactions, and a lone change is not kept waiting. The cache's
        // version guard makes the order of writes irrelevant, so batches are written concurrently, though handed to apply in
        // commit order; acknowledgements stay in commit order too, each waiting for its batch and for the acknowledgement before it.
        async Task FlushAsync()
        {
            if (batch.Count == 0 && committed is null)
            {
                return;
            }

            await inFlight.WaitAsync(cancellationToken);
            var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var write = WriteAsync([.. batch], handedOver, turn);
            handedOver = turn.Task;
            acknowledged = AcknowledgeAsync(acknowledged, write, committed);
            batch.Clear();
            committed = null;
        }

        // Rows become documents here, beside the stream's loop rather than in it: under load that loop is the bottleneck.
        async Task WriteAsync(RowChange[] rows, Task previous, TaskCompletionSource turn)
        {
            try
            {
                await Task.Yield();
                OrderChange[] changes;
                try
                {
                    changes = Array.ConvertAll(rows, row => row.Decode());
                }
                catch (Exception)
                {
                    await decodeFailed.CancelAsync();
                    throw;
                }

                await previous; // the batch before has been handed over: changes of one order reach apply in commit order
                var applied = apply(changes, cancellationToken);
                turn.SetResult();
                await applied;
            }
            catch (Exception ex)
            {
                turn.TrySetException(ex); // the batches after this one fail too, and the stream replays them all
                throw;
            }
            finally
            {
                inFlight.Release();
            }
        }

        async Task AcknowledgeAsync(Task previous, Task write, NpgsqlLogSequenceNumber? lsn)
        {
            await previous;
            await write;
            if (lsn is { } end)
            {
                replication.SetReplicationStatus(end);
            }
        }

        // The relation's column names, kept while the stream repeats them (a schema change sends new ones).
        string[] Columns(RelationMessage relation)
        {
            var same = columns.Length == relation.Columns.Count;
            for (var i = 0; same && i < columns.Length; i++)
            {
                same = ReferenceEquals(columns[i], relation.Columns[i].ColumnName);
            }

            return same ? columns : columns = [.. relation.Columns.Select(c => c.ColumnName)];
        }

        // The old row, when there is one, comes first in the stream; it supplies the TOASTed values the new row leaves out.
        async Task AddRowAsync(OrderChangeKind kind, RelationMessage relation, ReplicationTuple row, ReplicationTuple? old)
        {
            var names = Columns(relation);
            var before = old is null ? null : await ReadAsync(old, names, null, cancellationToken);
            batch.Add(new(kind, names, await ReadAsync(row, names, before, cancellationToken), committedAt));
            if (batch.Count >= MaxBatch)
            {
                await FlushAsync();
            }
        }

        var messages = Held(stream).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                var next = messages.MoveNextAsync();
                if (!next.IsCompleted)
                {
                    await FlushAsync(); // nothing more at hand: write what was gathered
                }

                if (!await next)
                {
                    break;
                }

                if (acknowledged.IsFaulted)
                {
                    await acknowledged; // a write failed for good: stop, and replay from the last acknowledgement
                }

                switch (messages.Current)
                {
                    case BeginMessage begin:
                        committedAt = new DateTimeOffset(DateTime.SpecifyKind(begin.TransactionCommitTimestamp, DateTimeKind.Utc));
                        break;
                    case InsertMessage insert when IsOrders(insert.Relation):
                        await AddRowAsync(OrderChangeKind.Upsert, insert.Relation, insert.NewRow, old: null);
                        break;
                    case FullUpdateMessage update when IsOrders(update.Relation):
                        await AddRowAsync(OrderChangeKind.Upsert, update.Relation, update.NewRow, update.OldRow);
                        break;
                    case FullDeleteMessage delete when IsOrders(delete.Relation):
                        await AddRowAsync(OrderChangeKind.Delete, delete.Relation, delete.OldRow, old: null);
                        break;
                    case UpdateMessage update when IsOrders(update.Relation):
                        throw NeedsFullIdentity();
                    case DeleteMessage delete when IsOrders(delete.Relation):
                        throw NeedsFullIdentity();
                    case TruncateMessage:
                        LogTruncateIgnored(logger);
                        break;
                    case CommitMessage commit:
                        committed = commit.TransactionEndLsn;
                        break;
                }
            }
        }
        finally
        {
            await messages.DisposeAsync();
            try
            {
                await acknowledged.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
            {
                // Stopping mid-write: what was not acknowledged is replayed on the next start.
            }

            await FlushAcknowledgementAsync(replication);
        }
    }

    /// <summary>The stream, with the server's "slot is active for PID n" (another replica got there first) said in our words.</summary>
    private async IAsyncEnumerable<PgOutputReplicationMessage> Held(IAsyncEnumerable<PgOutputReplicationMessage> stream)
    {
        await using var messages = stream.GetAsyncEnumerator();
        while (true)
        {
            try
            {
                if (!await messages.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse)
            {
                throw Taken("another session", ex);
            }

            yield return messages.Current;
        }
    }

    private ChangeSourceTakenException Taken(string holder, Exception? inner = null) => new($"slot {options.Slot} is streamed by {holder}", inner);

    private static InvalidOperationException NeedsFullIdentity() =>
        new("public.orders must have REPLICA IDENTITY FULL (migration 0001 sets it): updates and deletes need the whole old row.");

    private static bool IsOrders(RelationMessage relation) => relation.RelationName == Table && relation.Namespace == "public";

    /// <summary>The tuple's values in column order, as text; a TOASTed value the update did not change comes from the old row.</summary>
    private static async Task<string?[]> ReadAsync(ReplicationTuple tuple, string[] columns, string?[]? before, CancellationToken cancellationToken)
    {
        var row = new string?[columns.Length];
        var i = 0;
        await foreach (var value in tuple.WithCancellation(cancellationToken))
        {
            row[i] = value.IsDBNull ? null
                : value.IsUnchangedToastedValue ? before?[i] ?? throw new InvalidOperationException($"Column '{columns[i]}' was not sent and no old row has it.")
                : await value.Get<string>(cancellationToken);
            i++;
        }

        return row;
    }

    /// <summary>A row change as the stream gave it: made into an <see cref="OrderChange"/> by the batch's writer.</summary>
    private readonly record struct RowChange(OrderChangeKind Kind, string[] Columns, string?[] Values, DateTimeOffset? CommittedAt)
    {
        public OrderChange Decode()
        {
            var row = new JsonObject();
            for (var i = 0; i < Columns.Length; i++)
            {
                row[Columns[i]] = Values[i] is { } value ? JsonValue.Create(value) : null;
            }

            return Kind == OrderChangeKind.Upsert
                ? OrderColumns.UpsertOf(row, CommittedAt)
                : OrderChange.Delete(OrderColumns.Id(row), OrderColumns.Version(row), CommittedAt);
        }
    }

    private async Task EnsurePublicationAsync(CancellationToken cancellationToken)
    {
        if (await ScalarAsync("SELECT 1 FROM pg_publication WHERE pubname = $1", options.Publication, cancellationToken) is not null)
        {
            return;
        }

        try
        {
            // The name is validated by the options (identifier characters only).
            await ScalarAsync($"CREATE PUBLICATION \"{options.Publication}\" FOR TABLE public.{Table}", parameter: null, cancellationToken);
            LogCreated(logger, "publication", options.Publication);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateObject)
        {
            // Another replica created it first.
        }
    }

    /// <summary>
    /// Creates the slot when it is missing, and then projects every order that exists at the slot's starting
    /// point, read in the snapshot the slot exports: changes before it are in that read, changes after it in the
    /// stream, and none falls between (a transaction already running while the slot was created is in neither
    /// otherwise). If the snapshot cannot be completed the slot is dropped, so the next start takes it again.
    /// </summary>
    private async Task EnsureSlotAsync(LogicalReplicationConnection replication, Func<IReadOnlyList<OrderChange>, CancellationToken, Task> apply, CancellationToken cancellationToken)
    {
        if (await ScalarAsync("SELECT 1 FROM pg_replication_slots WHERE slot_name = $1", options.Slot, cancellationToken) is not null)
        {
            return;
        }

        PgOutputReplicationSlot slot;
        try
        {
            slot = await replication.CreatePgOutputReplicationSlot(options.Slot, slotSnapshotInitMode: LogicalSlotSnapshotInitMode.Export, cancellationToken: cancellationToken);
            LogCreated(logger, "replication slot", options.Slot);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateObject)
        {
            return; // another replica created it first, and takes the snapshot
        }

        try
        {
            var count = await ProjectSnapshotAsync(slot.SnapshotName ?? throw new InvalidOperationException("The new slot exported no snapshot."), apply, cancellationToken);
            LogSnapshotProjected(logger, count, options.Slot);
        }
        catch (Exception)
        {
            await DropSlotAsync();
            throw;
        }
    }

    /// <summary>Every order as of the exported snapshot, as upserts; <c>row_to_json</c> gives the JSON dialect <see cref="OrderColumns"/> reads.</summary>
    private async Task<long> ProjectSnapshotAsync(string snapshotName, Func<IReadOnlyList<OrderChange>, CancellationToken, Task> apply, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        // The snapshot name comes from the server and is not a parameter position; quote it as a literal.
        await using (var useSnapshot = new NpgsqlCommand($"SET TRANSACTION SNAPSHOT '{snapshotName.Replace("'", "''", StringComparison.Ordinal)}'", connection, transaction))
        {
            await useSnapshot.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var read = new NpgsqlCommand($"SELECT row_to_json(o)::text FROM public.{Table} o", connection, transaction);
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        long count = 0;
        var batch = new List<OrderChange>(MaxBatch);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = JsonNode.Parse(reader.GetString(0)) as JsonObject ?? throw new InvalidDataException("row_to_json returned no object.");
            batch.Add(OrderColumns.UpsertOf(row, committedAt: null));
            count++;
            if (batch.Count == MaxBatch)
            {
                await apply([.. batch], cancellationToken);
                batch.Clear();
            }
        }

        await apply([.. batch], cancellationToken);
        return count;
    }

    private async Task DropSlotAsync()
    {
        try
        {
            var dropped = await ScalarAsync(
                "SELECT count(*) FROM (SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active) d",
                options.Slot, CancellationToken.None);
            if (dropped is 0L)
            {
                // Another replica streams it already: the orders that existed before it reach the cache only when read.
                LogSlotNotDropped(logger, null, options.Slot);
            }
        }
        catch (NpgsqlException ex)
        {
            LogSlotNotDropped(logger, ex, options.Slot);
        }
    }

    /// <summary>One statement on a short-lived ordinary connection (the replication connection cannot run SQL).</summary>
    private async Task<object?> ScalarAsync(string sql, string? parameter, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        if (parameter is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>Sends the last acknowledged position now rather than at the next status interval.</summary>
    private static async Task FlushAcknowledgementAsync(LogicalReplicationConnection replication)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await replication.SendStatusUpdate(timeout.Token);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or InvalidOperationException or ObjectDisposedException)
        {
            // The connection is gone; the slot keeps the last position the server received.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Streaming public.orders changes from slot {Slot} (publication {Publication}).")]
    private static partial void LogStreaming(ILogger logger, string slot, string publication);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created {What} {Name}.")]
    private static partial void LogCreated(ILogger logger, string what, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Projected {Count} existing orders from the snapshot of new slot {Slot}.")]
    private static partial void LogSnapshotProjected(ILogger logger, long count, string slot);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not drop slot {Slot} after its snapshot failed; drop it by hand so the next start takes a snapshot again.")]
    private static partial void LogSlotNotDropped(ILogger logger, Exception? exception, string slot);

    [LoggerMessage(Level = LogLevel.Warning, Message = "public.orders was truncated; cached orders expire by their TTL.")]
    private static partial void LogTruncateIgnored(ILogger logger);
}
