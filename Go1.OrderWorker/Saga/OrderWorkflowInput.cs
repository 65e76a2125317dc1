namespace Go1.OrderWorker.Saga;

/// <summary>
/// What an order workflow starts with: the order as created, how long a ride may take at most, and where the order
/// stood when the workflow was started (<see cref="Progress"/>; null in histories recorded before it existed, which
/// means "as created").
/// </summary>
public sealed record OrderWorkflowInput(OrderCreated Order, TimeSpan MaxRideDuration, OrderProgress? Progress = null);
