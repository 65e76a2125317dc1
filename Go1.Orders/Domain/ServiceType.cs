namespace Go1.Orders.Domain;

/// <summary>Ride products. Wire names are RIDE-TAXI, RIDE-HOUR, RIDE-ROUTE, RIDE-TRIP, RIDE-SHARE, RIDE-SHUTTLE.</summary>
public enum ServiceType
{
    RideTaxi,
    RideHour,
    RideRoute,
    RideTrip,
    RideShare,
    RideShuttle,
}
