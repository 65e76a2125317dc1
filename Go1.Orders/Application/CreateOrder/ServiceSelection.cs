namespace Go1.Orders.Application.CreateOrder;

/// <summary>
/// Which service an order is for, in either shape a client may send: Go1's catalogue slug (<c>"taxi"</c>) or the Go
/// system's numeric id, which must come with its <c>service_type</c> (<c>1</c> with <c>"RIDE-TAXI"</c>).
/// <see cref="Problem"/> says what is wrong with an id that is neither.
/// </summary>
public sealed record ServiceSelection(string? Slug, int? GoId = null, string? Type = null, string? Problem = null)
{
    public static implicit operator ServiceSelection(string? slug) => new(slug);
}
