using Dapper;
using Go1.Orders.Application.Ports;
using Go1.Orders.Domain;
using Go1.Orders.Infrastructure.Persistence;
using Npgsql;

namespace Go1.Orders.Infrastructure.Payments;

public sealed class PostgresPaymentStore(NpgsqlDataSource dataSource) : IPaymentStore
{
    public Task<OrderPayment?> FindAsync(Guid orderId, CancellationToken cancellationToken) =>
        PostgresAvailability.GuardAsync(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var row = await connection.QuerySingleOrDefaultAsync<(string Method, long Amount, string Currency, string Status, string Reference, DateTime CreatedAt, DateTime UpdatedAt)?>(
                new CommandDefinition(
                    "SELECT method, amount, currency, status, provider_reference, created_at, updated_at FROM payments WHERE order_id = @orderId",
                    new { orderId }, cancellationToken: cancellationToken));
            return row is { } r
                ? OrderPayment.Rehydrate(orderId, Parse<PaymentMethod>(r.Method), r.Amount, r.Currency, Parse<PaymentStatus>(r.Status), r.Reference,
                    PostgresTime.Utc(r.CreatedAt), PostgresTime.Utc(r.UpdatedAt))
                : null;
        });

    public Task SaveAsync(OrderPayment payment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return PostgresAvailability.GuardAsync(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO payments (order_id, method, amount, currency, status, provider_reference, created_at, updated_at)
                VALUES (@OrderId, @Method, @Amount, @Currency, @Status, @ProviderReference, @CreatedAt, @UpdatedAt)
                ON CONFLICT (order_id) DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at
                """,
                new
                {
                    payment.OrderId, Method = WireNames.Of(payment.Method), payment.Amount, payment.Currency, Status = WireNames.Of(payment.Status),
                    payment.ProviderReference, CreatedAt = payment.CreatedAt.UtcDateTime, UpdatedAt = payment.UpdatedAt.UtcDateTime,
                },
                cancellationToken: cancellationToken));
        });
    }

    private static T Parse<T>(string text) where T : struct, Enum =>
        WireNames.TryParse<T>(text, out var value) ? value : throw new InvalidDataException($"Stored '{text}' is not a {typeof(T).Name}.");
}
