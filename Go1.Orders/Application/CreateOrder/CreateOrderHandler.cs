using Go1.Orders.Application.Events;
using Go1.Orders.Application.Ports;
using Go1.Orders.Domain;

namespace Go1.Orders.Application.CreateOrder;

/// <summary>
/// Resolves the service, builds the order through the domain, prices it on the server, and stores it with its OrderCreated
/// event in one transaction. A repeated Idempotency-Key returns the first order and writes nothing.
/// </summary>
public sealed class CreateOrderHandler(IServiceCatalog catalog, IFarePricing pricing, IOrderRepository orders, TimeProvider clock)
{
    public const int MaxIdempotencyKeyLength = 200;

    public async Task<StoredOrder> HandleAsync(CreateOrderCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var claim = Claim(command);
        if (claim is not null && await orders.FindByIdempotencyKeyAsync(claim.CallerId, claim.Key, cancellationToken) is { } earlier)
        {
            return Replay(claim, earlier.Order, earlier.RequestHash);
        }

        var service = await ResolveServiceAsync(command.ServiceId, cancellationToken);
        // PostgreSQL keeps microseconds; rounding here makes the 201 body equal what GET returns later.
        var now = clock.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
        var order = RideOrder.Create(Guid.CreateVersion7(now), command.Caller, service, command.Draft, now);
        order.Price(await pricing.QuoteAsync(service.Id, order.Points, cancellationToken));
        var stored = await orders.CreateAsync(order, OrderCreated.For(order, Guid.CreateVersion7(now)), claim, cancellationToken);
        return stored.Replayed ? Replay(claim!, stored.Order, stored.RequestHash!) : stored;
    }

    private static IdempotencyClaim? Claim(CreateOrderCommand command)
    {
        if (command.IdempotencyKey is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(command.IdempotencyKey) || command.IdempotencyKey.Length > MaxIdempotencyKeyLength)
        {
            throw new OrderValidationException(new Dictionary<string, string[]>
            {
                ["Idempotency-Key"] = [$"must be 1 to {MaxIdempotencyKeyLength} characters"],
            });
        }

        return new IdempotencyClaim(command.Caller.UserId, command.IdempotencyKey, command.RequestHash ?? string.Empty);
    }

    /// <summary>Same key, same request: the original order. Same key, another request: a client bug worth a clear error.</summary>
    private static StoredOrder Replay(IdempotencyClaim claim, RideOrder order, string requestHash) =>
        requestHash == claim.RequestHash
            ? new StoredOrder(order, Replayed: true, requestHash)
            : throw new DomainException(ErrorCodes.IdempotencyKeyReused, "This Idempotency-Key was already used with a different request body.");

    private async Task<ServiceSnapshot> ResolveServiceAsync(string? serviceId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(serviceId) || serviceId.Length > OrderLimits.IdLength)
        {
            throw new OrderValidationException(new Dictionary<string, string[]>
            {
                ["service_id"] = [$"is required (1 to {OrderLimits.IdLength} characters)"],
            });
        }

        var entry = await catalog.FindAsync(serviceId, cancellationToken)
            ?? throw new DomainException(ErrorCodes.ServiceNotFound, $"Service '{serviceId}' does not exist.");
        return entry.Enabled
            ? entry.Service
            : throw new DomainException(ErrorCodes.ServiceDisabled, $"Service '{serviceId}' is not taking orders.");
    }
}
