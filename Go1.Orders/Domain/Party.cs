namespace Go1.Orders.Domain;

/// <summary>A person on an order: its customer or its driver. A street-hail customer may have no account id.</summary>
public sealed record Party(string? Id, string? Phone, string? Name);
