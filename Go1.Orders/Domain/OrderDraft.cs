using System.Text.Json.Nodes;

namespace Go1.Orders.Domain;

/// <summary>
/// An order as a client asked for it, unvalidated: enums are still strings so that every bad value
/// becomes a field error rather than a parse failure.
/// </summary>
public sealed record OrderDraft(
    string? PaymentMethod,
    IReadOnlyDictionary<string, string>? PaymentConfig,
    OrderDraft.PartyInput? Customer,
    OrderDraft.PartyInput? Driver,
    IReadOnlyList<OrderDraft.PointInput>? Points,
    string? PromotionCode,
    string? FeeId,
    bool HasInsurance,
    DateTimeOffset? OrderTime,
    bool IsSchedule,
    string? Platform,
    JsonObject? Metadata)
{
    public sealed record PartyInput(string? Id, string? Phone, string? Name);

    public sealed record PointInput(double? Lat, double? Lng, string? Address, string? Type, int? Order, string? Phone = null);
}
