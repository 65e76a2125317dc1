using Go1.Orders.Application.Events;
using Go1.Orders.Application.Ports;

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

        var service = await ResolveServiceAsync(command.Service, cancellationToken);
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

        if (string.IsNullOrWhiteSpace(command.IdempotencyKey) || command.IdempotencyKey.Length > MaxIdempotencyKeyLength || !OrderLimits.IsStorable(command.IdempotencyKey))
        {
            throw new OrderValidationException(new Dictionary<string, string[]>
            {
                ["Idempotency-Key"] = [$"must be 1 to {MaxIdempotencyKeyLength} characters, without U+0000 or unpaired surrogates"],
            });
        }

        return new IdempotencyClaim(command.Caller.UserId, command.IdempotencyKey, command.RequestHash ?? string.Empty, command.LegacyRequestHash);
    }

    /// <summary>Same key, same request: the original order. Same key, another request: a client bug worth a clear error.</summary>
    private static StoredOrder Replay(IdempotencyClaim claim, RideOrder order, string requestHash) =>
        claim.Matches(requestHash)
            ? new StoredOrder(order, Replayed: true, requestHash)
            : throw new DomainException(ErrorCodes.IdempotencyKeyReused, "This Idempotency-Key was already used with a different request body.");

    /// <summary>The catalogue entry a selection names, by slug or by the Go system's id, whose type must then match.</summary>
    private async Task<ServiceSnapshot> ResolveServiceAsync(ServiceSelection selection, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (selection.Problem is { } problem)
        {
            errors.Add("service_id", problem);
        }
        else if (selection.GoId is null)
        {
            if (string.IsNullOrWhiteSpace(selection.Slug))
            {
                errors.Add("service_id", $"is required: a catalogue slug (1 to {OrderLimits.IdLength} characters) or the Go system's numeric id");
            }
            else
            {
                errors.Text("service_id", selection.Slug, OrderLimits.IdLength);
            }
        }

        var type = ServiceType.RideTaxi;
        if (selection.Type is not null && !WireNames.TryParse(selection.Type, out type))
        {
            errors.Add("service_type", "must be one of " + string.Join(", ", WireNames.All<ServiceType>()));
        }
        else if (selection.Type is null && selection.GoId is not null)
        {
            errors.Add("service_type", "is required with a numeric service_id");
        }

        errors.ThrowIfAny();
        var name = selection.GoId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? selection.Slug!;
        var entry = await (selection.GoId is { } goId ? catalog.FindByGoIdAsync(goId, cancellationToken) : catalog.FindAsync(selection.Slug!, cancellationToken))
            ?? throw new DomainException(ErrorCodes.ServiceNotFound, $"Service '{name}' does not exist.");
        if (selection.Type is not null && entry.Service.Type != type)
        {
            throw new OrderValidationException(new Dictionary<string, string[]>
            {
                ["service_type"] = [$"must be {WireNames.Of(entry.Service.Type)}, the type of service {name}"],
            });
        }

        return entry.Enabled
            ? entry.Service
            : throw new DomainException(ErrorCodes.ServiceDisabled, $"Service '{name}' is not taking orders.");
    }
}
