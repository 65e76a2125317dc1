namespace Go1.Orders.Domain;

/// <summary>What the ride costs, priced by the server when the order is placed: <see cref="Amount"/> in minor units of <see cref="Currency"/>.</summary>
public sealed record Fare(long Amount, string Currency, int DistanceMeters);
