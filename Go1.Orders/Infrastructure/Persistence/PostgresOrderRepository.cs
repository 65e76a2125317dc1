using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Dapper;
using Go1.Orders.Application;
using Go1.Orders.Application.Events;
using Go1.Orders.Application.Ports;
using Go1.Orders.Infrastructure.Outbox;
using Go1.Orders.ReadModel;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Go1.Orders.Infrastructure.Persistence;

/// <summary>Orders, their outbox events and idempotency keys in PostgreSQL (Dapper).</summary>
public sealed class PostgresOrderRepository(NpgsqlDataSource dataSource, PostgresOutbox outbox, IOptions<OrderWriteOptions> writeOptions, IMeterFactory meterFactory)
    : IOrderRepository, IOrderReads, IOpenOrders, IAsyncDisposable
{
    private static readonly RowInsert OrderRows = new("orders",
        "id", "created_by", "creator_role", "status", "sub_status", "service", "payment", "customer", "driver", "points",
        "promotion_code", "fee_id", "has_insurance", "order_time", "completed_time", "cancel_time", "platform",
        "partner_id", "is_schedule", "now_order", "metadata", "workflow_id", "version", "created_at", "updated_at");

    private static readonly RowInsert OutboxRows = new("outbox",
        "event_id", "aggregate_id", "event_type", "topic", "payload", "traceparent", "tracestate");

    private static readonly RowInsert IdempotencyKeyRows = new("idempotency_keys", "caller_id", "key", "request_hash", "order_id");

    private const string UpdateOrderSql = """
        UPDATE orders SET status = $2, sub_status = $3, driver = $4, completed_time = $5, cancel_time = $6
        WHERE id = $1 AND version = $7
        """;

    private const string IdempotencyKeyConstraint = "idempotency_keys_pkey";

    // Built on the first create: the processes that only read and update orders start no writer threads.
    private readonly Lazy<OrderWriteBatcher> _creates = new(() => new(dataSource, writeOptions.Value, meterFactory));

    /// <summary>
    /// The order, its event and its idempotency key persist together or not at all: they go into one
    /// transaction, shared with the creates that arrive at the same time (<see cref="OrderWriteBatcher"/>).
    /// A concurrent request with the same key waits on the first one's key, then fails and reads the winner instead.
    /// </summary>
    public async Task<StoredOrder> CreateAsync(RideOrder order, OrderCreated created, IdempotencyClaim? claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(created);
        var row = OrderRow.From(order);
        var payload = JsonSerializer.Serialize(created, OrderJson.Options);
        // The request's trace continues in the relay and the consumers.
        var activity = Activity.Current;
        var (traceparent, tracestate) = activity?.IdFormat == ActivityIdFormat.W3C ? (activity.Id, activity.TraceStateString) : (null, null);
        try
        {
            await PostgresAvailability.GuardAsync(async () =>
            {
                await _creates.Value.WriteAsync(Rows(row, created, payload, traceparent, tracestate, claim), cancellationToken);
                return true;
            });
            outbox.Written();
            return new StoredOrder(order, Replayed: false);
        }
        catch (PostgresException ex) when (claim is not null && ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == IdempotencyKeyConstraint)
        {
            var winner = await FindByIdempotencyKeyAsync(claim.CallerId, claim.Key, cancellationToken)
                ?? throw new InvalidOperationException("An idempotency key vanished between conflict and read.", ex);
            return new StoredOrder(winner.Order, Replayed: true, winner.RequestHash);
        }
    }

    private static List<Row> Rows(OrderRow r, OrderCreated created, string payload, string? traceparent, string? tracestate, IdempotencyClaim? claim)
    {
        List<Row> rows = [];
        if (claim is not null)
        {
            rows.Add(IdempotencyKeyRows.Of(claim.CallerId, claim.Key, claim.RequestHash, r.Id));
        }

        rows.Add(OrderRows.Of(
            r.Id, r.CreatedBy, r.CreatorRole, r.Status, r.SubStatus, Jsonb(r.Service), Jsonb(r.Payment), Jsonb(r.Customer), Jsonb(r.Driver),
            Jsonb(r.Points), r.PromotionCode, r.FeeId, r.HasInsurance, r.OrderTime, r.CompletedTime, r.CancelTime, r.Platform,
            r.PartnerId, r.IsSchedule, r.NowOrder, Jsonb(r.Metadata), r.WorkflowId, r.Version, r.CreatedAt, r.UpdatedAt));
        rows.Add(OutboxRows.Of(created.EventId, created.OrderId, OrderCreated.EventType, OrderCreated.Topic, Jsonb(payload), traceparent, tracestate));
        return rows;
    }

    public ValueTask DisposeAsync() => _creates.IsValueCreated ? _creates.Value.DisposeAsync() : ValueTask.CompletedTask;

    public async Task<RideOrder?> FindAsync(Guid id, CancellationToken cancellationToken) => (await FindRowAsync(id, cancellationToken))?.ToDomain();

    public async Task<OrderDocument?> GetAsync(Guid id, CancellationToken cancellationToken) => (await FindRowAsync(id, cancellationToken))?.ToDocument();

    private Task<OrderRow?> FindRowAsync(Guid id, CancellationToken cancellationToken) =>
        PostgresAvailability.GuardAsync(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return await connection.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(
                $"SELECT {OrderRow.SelectColumns} FROM orders WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        });

    public Task<IReadOnlyList<RideOrder>> ListAsync(DateTimeOffset createdBefore, Guid? afterId, int limit, CancellationToken cancellationToken) =>
        PostgresAvailability.GuardAsync<IReadOnlyList<RideOrder>>(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var rows = await connection.QueryAsync<OrderRow>(new CommandDefinition($"""
                SELECT {OrderRow.SelectColumns} FROM orders
                WHERE status NOT IN ('COMPLETED', 'CANCELLED') AND created_at < @createdBefore AND (@afterId::uuid IS NULL OR id > @afterId)
                ORDER BY id LIMIT @limit
                """, new { createdBefore = createdBefore.UtcDateTime, afterId, limit }, cancellationToken: cancellationToken));
            return [.. rows.Select(r => r.ToDomain())];
        });

    /// <summary>Only what a lifecycle step can change; the trigger bumps version and updated_at.</summary>
    public async Task UpdateAsync(RideOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var row = OrderRow.From(order);
        var updated = await PostgresAvailability.GuardAsync(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(UpdateOrderSql, connection);
            command.Parameters.AddRange(RowInsert.Parameters(row.Id, row.Status, row.SubStatus, Jsonb(row.Driver), row.CompletedTime, row.CancelTime, row.Version));
            return await command.ExecuteNonQueryAsync(cancellationToken);
        });
        if (updated == 0)
        {
            throw new ConcurrentUpdateException(order.Id, order.Version);
        }
    }

    public Task<(RideOrder Order, string RequestHash)?> FindByIdempotencyKeyAsync(string callerId, string key, CancellationToken cancellationToken) =>
        PostgresAvailability.GuardAsync<(RideOrder, string)?>(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var hit = await connection.QuerySingleOrDefaultAsync<(Guid OrderId, string RequestHash)?>(new CommandDefinition(
                "SELECT order_id, request_hash FROM idempotency_keys WHERE caller_id = @callerId AND key = @key",
                new { callerId, key }, cancellationToken: cancellationToken));
            if (hit is not { } found)
            {
                return null;
            }

            var row = await connection.QuerySingleAsync<OrderRow>(new CommandDefinition(
                $"SELECT {OrderRow.SelectColumns} FROM orders WHERE id = @id", new { id = found.OrderId }, cancellationToken: cancellationToken));
            return (row.ToDomain(), found.RequestHash);
        });

    private static NpgsqlParameter Jsonb(string? json) => new() { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Jsonb, Value = (object?)json ?? DBNull.Value };
}
