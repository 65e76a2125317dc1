namespace Go1.Orders.Application.Events;

/// <summary>
/// On <see cref="Topic"/>, from the dispatch system: <c>{order_id, dispatch_status, driver?: {id, phone, name}}</c>.
/// The Go system's dispatch publishes <c>{"order_id", "dispatch_status": "success"}</c> with no driver.
/// </summary>
public sealed record DispatchEvent(Guid? OrderId, string? DispatchStatus, DispatchEvent.DriverInfo? Driver)
{
    public const string Topic = "dispatch-events";

    /// <summary>Go1's status for a driver taking the order.</summary>
    public const string Assigned = "ASSIGNED";

    /// <summary>The Go system's status for the same.</summary>
    public const string Success = "success";

    /// <summary>The statuses that mean a driver took the order (Go1's, and the Go system's); others are not ours to act on.</summary>
    public static readonly IReadOnlySet<string> DriverTookTheOrder = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Assigned, Success };

    public sealed record DriverInfo(string? Id, string? Phone, string? Name);
}
