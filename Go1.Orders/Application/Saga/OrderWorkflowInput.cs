using Go1.Orders.Application.Events;

namespace Go1.Orders.Application.Saga;

/// <summary>What an order workflow starts with: the order as created, and how long a ride may take at most.</summary>
public sealed record OrderWorkflowInput(OrderCreated Order, TimeSpan MaxRideDuration);
