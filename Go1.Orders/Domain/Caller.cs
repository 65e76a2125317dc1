namespace Go1.Orders.Domain;

/// <summary>Who is asking, as established by authentication.</summary>
public sealed record Caller(string UserId, Audience Audience, string? Platform, string? PartnerId);
