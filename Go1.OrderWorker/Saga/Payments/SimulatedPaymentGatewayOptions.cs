namespace Go1.OrderWorker.Saga.Payments;

/// <summary>
/// The <c>Payments:Simulator</c> section. The simulated provider declines an authorization when the amount is
/// above <see cref="DeclineAmountsAbove"/>, when the method is in <see cref="DeclineMethods"/>, or when the
/// order's payment config says <c>"simulate": "decline"</c>; it approves everything else.
/// </summary>
public sealed class SimulatedPaymentGatewayOptions
{
    public const string SectionName = "Payments:Simulator";

    /// <summary>Amounts (minor units) above this are declined as over the card's limit.</summary>
    public long DeclineAmountsAbove { get; set; } = 10_000_000;

    /// <summary>Payment methods (wire names: <c>card</c>, <c>wallet</c>) that are always declined.</summary>
    public IList<string> DeclineMethods { get; } = [];
}
