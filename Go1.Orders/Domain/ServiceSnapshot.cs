namespace Go1.Orders.Domain;

/// <summary>The service as it was when the order was placed; later catalogue edits do not change running orders.</summary>
public sealed record ServiceSnapshot(
    string Id,
    ServiceType Type,
    string Name,
    string PricingMode,
    TimeSpan AutoCancelInterval,
    TimeSpan DriverLockTime,
    IReadOnlyList<string> Addons);
