namespace Go1.Orders.Domain;

/// <summary>A service's price list: a base fare plus a rate per kilometre of the route, in minor units of <see cref="Currency"/>.</summary>
public sealed record Tariff(long BaseFare, long PerKilometre, string Currency)
{
    private const double EarthRadiusMeters = 6_371_008.8;

    /// <summary>The fare of <paramref name="route"/>: its legs measured along great circles, in the points' ride order.</summary>
    public Fare Price(IReadOnlyList<RoutePoint> route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var meters = 0.0;
        for (var i = 1; i < route.Count; i++)
        {
            meters += GreatCircleMeters(route[i - 1], route[i]);
        }

        var distance = (int)Math.Round(meters, MidpointRounding.AwayFromZero);
        return new Fare(BaseFare + (long)Math.Round(PerKilometre * distance / 1000.0, MidpointRounding.AwayFromZero), Currency, distance);
    }

    /// <summary>Haversine distance between two points on a sphere of the Earth's mean radius.</summary>
    public static double GreatCircleMeters(RoutePoint from, RoutePoint to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var φ1 = double.DegreesToRadians(from.Lat);
        var φ2 = double.DegreesToRadians(to.Lat);
        var Δφ = φ2 - φ1;
        var Δλ = double.DegreesToRadians(to.Lng - from.Lng);
        var h = Math.Sin(Δφ / 2) * Math.Sin(Δφ / 2) + Math.Cos(φ1) * Math.Cos(φ2) * Math.Sin(Δλ / 2) * Math.Sin(Δλ / 2);
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }
}
