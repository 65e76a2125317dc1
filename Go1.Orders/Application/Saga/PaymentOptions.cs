using System.ComponentModel.DataAnnotations;

namespace Go1.Orders.Application.Saga;

/// <summary>The <c>Payments</c> section: what is authorized for an order whose payment config names no amount.</summary>
public sealed class PaymentOptions
{
    public const string SectionName = "Payments";

    /// <summary>Minor units authorized when the order's payment config has no <c>amount</c>.</summary>
    [Range(0, long.MaxValue)]
    public long DefaultAmount { get; set; } = 150_000;

    [Required, StringLength(3, MinimumLength = 3)]
    public string Currency { get; set; } = "VND";
}
