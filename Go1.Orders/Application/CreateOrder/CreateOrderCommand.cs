namespace Go1.Orders.Application.CreateOrder;

/// <summary>Create a ride order for <paramref name="Caller"/>; <paramref name="IdempotencyKey"/> with <paramref name="RequestHash"/> makes retries safe.</summary>
public sealed record CreateOrderCommand(Caller Caller, ServiceSelection Service, OrderDraft Draft, string? IdempotencyKey = null, string? RequestHash = null,
    string? LegacyRequestHash = null);
