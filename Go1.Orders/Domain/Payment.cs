namespace Go1.Orders.Domain;

/// <summary>How the order is paid; <see cref="Config"/> carries method-specific settings (e.g. a card token reference).</summary>
public sealed record Payment(PaymentMethod Method, PaymentType PaymentType, IReadOnlyDictionary<string, string> Config)
{
    public static PaymentType TypeOf(PaymentMethod method) => method == PaymentMethod.Cash ? PaymentType.Postpaid : PaymentType.Prepaid;
}
