using Dapper;
using Go1.Orders.Infrastructure.Persistence;
using Npgsql;

namespace Go1.OrderWorker.Saga.Payments;

/// <summary>
/// The <c>payments</c> table. Every write is guarded in SQL: a new payment is inserted only if the order has none,
/// and a status change applies only over the status it was read with. Two writers racing over one payment (a capture
/// and a release, a late authorization after a release) can therefore never both win: the loser gets
/// <see cref="ErrorCodes.IllegalPaymentTransition"/>.
/// </summary>
public sealed class PostgresPaymentStore(NpgsqlDataSource dataSource) : IPaymentStore
{
    public Task<OrderPayment?> FindAsync(Guid orderId, CancellationToken cancellationToken) =>
        PostgresAvailability.GuardAsync(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return await FindAsync(connection, orderId, cancellationToken);
        });

    public Task SaveAsync(OrderPayment payment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return PostgresAvailability.GuardAsync(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var written = payment.StoredStatus is { } from
                ? await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE payments SET status = @Status, updated_at = @UpdatedAt WHERE order_id = @OrderId AND status = @From",
                    new { payment.OrderId, Status = WireNames.Of(payment.Status), UpdatedAt = payment.UpdatedAt.UtcDateTime, From = WireNames.Of(from) },
                    cancellationToken: cancellationToken))
                : await connection.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO payments (order_id, method, amount, currency, status, provider_reference, created_at, updated_at)
                    VALUES (@OrderId, @Method, @Amount, @Currency, @Status, @ProviderReference, @CreatedAt, @UpdatedAt)
                    ON CONFLICT (order_id) DO NOTHING
                    """,
                    new
                    {
                        payment.OrderId, Method = WireNames.Of(payment.Method), payment.Amount, payment.Currency, Status = WireNames.Of(payment.Status),
                        payment.ProviderReference, CreatedAt = payment.CreatedAt.UtcDateTime, UpdatedAt = payment.UpdatedAt.UtcDateTime,
                    },
                    cancellationToken: cancellationToken));
            if (written == 0 && (await FindAsync(connection, payment.OrderId, cancellationToken))?.Status is var stored && stored != payment.Status)
            {
                // Someone else changed the payment first; the same change made twice (a retried step) is not a conflict.
                throw new DomainException(ErrorCodes.IllegalPaymentTransition,
                    $"The payment of order {payment.OrderId} is {(stored is { } s ? WireNames.Of(s) : "gone")}; it cannot become {WireNames.Of(payment.Status)}.");
            }

            return written;
        });
    }

    private static async Task<OrderPayment?> FindAsync(NpgsqlConnection connection, Guid orderId, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(string Method, long Amount, string Currency, string Status, string Reference, DateTime CreatedAt, DateTime UpdatedAt)?>(
            new CommandDefinition(
                "SELECT method, amount, currency, status, provider_reference, created_at, updated_at FROM payments WHERE order_id = @orderId",
                new { orderId }, cancellationToken: cancellationToken));
        return row is { } r
            ? OrderPayment.Rehydrate(orderId, Parse<PaymentMethod>(r.Method), r.Amount, r.Currency, Parse<PaymentStatus>(r.Status), r.Reference,
                PostgresTime.Utc(r.CreatedAt), PostgresTime.Utc(r.UpdatedAt))
            : null;
    }

    private static T Parse<T>(string text) where T : struct, Enum =>
        WireNames.TryParse<T>(text, out var value) ? value : throw new InvalidDataException($"Stored '{text}' is not a {typeof(T).Name}.");
}
