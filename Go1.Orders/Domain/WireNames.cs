namespace Go1.Orders.Domain;

/// <summary>
/// The exact strings the Go system put on the wire for each enum. One table per enum, used by JSON,
/// the database and validation alike, so a rename in C# can never change the contract.
/// </summary>
public static class WireNames
{
    private static readonly Dictionary<OrderStatus, string> Statuses = new()
    {
        [OrderStatus.WaitingForPayment] = "WAITING_FOR_PAYMENT",
        [OrderStatus.Scheduling] = "SCHEDULING",
        [OrderStatus.Finding] = "FINDING",
        [OrderStatus.Assigned] = "ASSIGNED",
        [OrderStatus.Completed] = "COMPLETED",
        [OrderStatus.Cancelled] = "CANCELLED",
    };

    private static readonly Dictionary<ServiceType, string> ServiceTypes = new()
    {
        [ServiceType.RideTaxi] = "RIDE-TAXI",
        [ServiceType.RideHour] = "RIDE-HOUR",
        [ServiceType.RideRoute] = "RIDE-ROUTE",
        [ServiceType.RideTrip] = "RIDE-TRIP",
        [ServiceType.RideShare] = "RIDE-SHARE",
        [ServiceType.RideShuttle] = "RIDE-SHUTTLE",
    };

    private static readonly Dictionary<PaymentMethod, string> PaymentMethods = new()
    {
        [PaymentMethod.Cash] = "cash",
        [PaymentMethod.Card] = "card",
        [PaymentMethod.Wallet] = "wallet",
    };

    private static readonly Dictionary<PaymentType, string> PaymentTypes = new()
    {
        [PaymentType.Prepaid] = "PREPAID",
        [PaymentType.Postpaid] = "POSTPAID",
    };

    private static readonly Dictionary<PointType, string> PointTypes = new()
    {
        [PointType.Pickup] = "pickup",
        [PointType.Dropoff] = "dropoff",
        [PointType.Stop] = "stop",
    };

    private static readonly Dictionary<Audience, string> Audiences = new()
    {
        [Audience.AdminPortal] = "admin_portal",
        [Audience.DriverApp] = "driver_app",
        [Audience.UserApp] = "user_app",
    };

    private static readonly Dictionary<PaymentStatus, string> PaymentStatuses = new()
    {
        [PaymentStatus.Authorized] = "AUTHORIZED",
        [PaymentStatus.Captured] = "CAPTURED",
        [PaymentStatus.Voided] = "VOIDED",
        [PaymentStatus.Refunded] = "REFUNDED",
    };

    /// <summary>The wire names of <typeparamref name="T"/>, for error messages and API documentation.</summary>
    public static IReadOnlyCollection<string> All<T>() where T : struct, Enum => Table<T>().Values;

    public static string Of<T>(T value) where T : struct, Enum => Table<T>()[value];

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum => TryParse(Table<T>(), text, out value);

    private static Dictionary<T, string> Table<T>() where T : struct, Enum => (Dictionary<T, string>)(object)(typeof(T) switch
    {
        var t when t == typeof(OrderStatus) => Statuses,
        var t when t == typeof(ServiceType) => ServiceTypes,
        var t when t == typeof(PaymentMethod) => PaymentMethods,
        var t when t == typeof(PaymentType) => PaymentTypes,
        var t when t == typeof(PointType) => PointTypes,
        var t when t == typeof(Audience) => Audiences,
        var t when t == typeof(PaymentStatus) => PaymentStatuses,
        _ => throw new ArgumentException($"{typeof(T).Name} has no wire names."),
    });

    private static bool TryParse<T>(Dictionary<T, string> table, string? text, out T value) where T : struct, Enum
    {
        foreach (var (key, name) in table)
        {
            if (string.Equals(name, text, StringComparison.Ordinal))
            {
                value = key;
                return true;
            }
        }

        value = default;
        return false;
    }
}
