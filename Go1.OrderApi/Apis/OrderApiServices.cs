using Go1.Orders.Application.CreateOrder;
using Go1.Orders.Application.GetOrder;

namespace Go1.OrderApi.Apis;

/// <summary>What the order endpoints need, injected as one <c>[AsParameters]</c> record.</summary>
public sealed record OrderApiServices(CreateOrderHandler CreateOrder, GetOrderHandler GetOrder, OrderBodies Bodies, OrderMetrics Metrics);
