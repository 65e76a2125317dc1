namespace Go1.Orders.Domain;

/// <summary>
/// How the order is paid; <see cref="Config"/> carries method-specific settings (e.g. a card token reference) and
/// never an amount: <see cref="Fare"/> is what the server priced (null only for orders stored before pricing existed).
/// </summary>
public sealed record Payment(PaymentMethod Method, PaymentType PaymentType, IReadOnlyDictionary<string, string> Config, Fare? Fare = null)
{
    public static PaymentType TypeOf(PaymentMethod method) => method == PaymentMethod.Cash ? PaymentType.Postpaid : PaymentType.Prepaid;
}
