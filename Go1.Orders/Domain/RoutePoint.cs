namespace Go1.Orders.Domain;

/// <summary>A place on the route; <see cref="Order"/> is its position in the ride (0-based); <see cref="Phone"/> whom to call there.</summary>
public sealed record RoutePoint(double Lat, double Lng, string? Address, PointType Type, int Order, string? Phone = null);
