namespace Go1.Orders.Domain;

public enum PointType
{
    Pickup,
    Dropoff,
    Stop,
}
