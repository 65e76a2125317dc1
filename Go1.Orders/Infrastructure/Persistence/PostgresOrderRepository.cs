using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Go1.Orders.Application;
using Go1.Orders.Application.Events;
using Go1.Orders.Application.Ports;
using Go1.Orders.Domain;
using Npgsql;

namespace Go1.Orders.Infrastructure.Persistence;

/// <summary>Orders, their outbox events and idempotency keys in PostgreSQL (Dapper).</summary>
public sealed class PostgresOrderRepository(NpgsqlDataSource dataSource) : IOrderRepository
{
    private const string InsertOrderSql = """
        INSERT INTO orders (id, created_by, creator_role, status, sub_status, service, payment, customer, driver, points,
                            promotion_code, fee_id, has_insurance, order_time, completed_time, cancel_time, platform,
                            partner_id, is_schedule, now_order, metadata, workflow_id, version, created_at, updated_at)
        VALUES (@Id, @CreatedBy, @CreatorRole, @Status, @SubStatus, @Service::jsonb, @Payment::jsonb, @Customer::jsonb,
                @Driver::jsonb, @Points::jsonb, @PromotionCode, @FeeId, @HasInsurance, @OrderTime, @CompletedTime,
                @CancelTime, @Platform, @PartnerId, @IsSchedule, @NowOrder, @Metadata::jsonb, @WorkflowId, @Version,
                @CreatedAt, @UpdatedAt)
        """;

    private const string InsertOutboxSql = """
        INSERT INTO outbox (event_id, aggregate_id, event_type, topic, payload, traceparent, tracestate)
        VALUES (@EventId, @AggregateId, @EventType, @Topic, @Payload::jsonb, @TraceParent, @TraceState)
        """;

    private const string ClaimKeySql = """
        INSERT INTO idempotency_keys (caller_id, key, request_hash, order_id)
        VALUES (@CallerId, @Key, @RequestHash, @OrderId)
        ON CONFLICT (caller_id, key) DO NOTHING
        """;

    public async Task<StoredOrder> CreateAsync(RideOrder order, OrderCreated created, IdempotencyClaim? claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(created);
        return await PostgresAvailability.GuardAsync(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(InsertOrderSql, OrderRow.From(order), transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(InsertOutboxSql, OutboxParameters(created), transaction, cancellationToken: cancellationToken));
            if (claim is not null)
            {
                // A concurrent request with the same key blocks here until the first commits, then claims nothing.
                var claimed = await connection.ExecuteAsync(new CommandDefinition(ClaimKeySql,
                    new { claim.CallerId, claim.Key, claim.RequestHash, OrderId = order.Id }, transaction, cancellationToken: cancellationToken));
                if (claimed == 0)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    var winner = await FindByIdempotencyKeyAsync(claim.CallerId, claim.Key, cancellationToken)
                        ?? throw new InvalidOperationException("An idempotency key vanished between conflict and read.");
                    return new StoredOrder(winner.Order, Replayed: true, winner.RequestHash);
                }
            }

            await transaction.CommitAsync(cancellationToken);
            return new StoredOrder(order, Replayed: false);
        });
    }

    public Task<RideOrder?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        PostgresAvailability.GuardAsync(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var row = await connection.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(
                $"SELECT {OrderRow.SelectColumns} FROM orders WHERE id = @id", new { id }, cancellationToken: cancellationToken));
            return row?.ToDomain();
        });

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

    private static object OutboxParameters(OrderCreated created)
    {
        // The request's trace continues in the relay and the consumers.
        var activity = Activity.Current;
        return new
        {
            created.EventId,
            AggregateId = created.OrderId,
            EventType = OrderCreated.EventType,
            Topic = OrderCreated.Topic,
            Payload = JsonSerializer.Serialize(created, OrderJson.Options),
            TraceParent = activity?.IdFormat == ActivityIdFormat.W3C ? activity.Id : null,
            TraceState = activity?.TraceStateString,
        };
    }
}
