namespace Go1.FlowCheck;

/// <summary>What the flow check creates and how long it waits for each step.</summary>
public sealed record FlowOptions
{
    public string ServiceId { get; init; } = "taxi";

    public string PaymentMethod { get; init; } = "card";

    /// <summary>Required when the API calls us an admin (Bypass mode); ignored-or-equal for user_app callers.</summary>
    public string? CustomerId { get; init; } = "flow-customer";

    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);
}
