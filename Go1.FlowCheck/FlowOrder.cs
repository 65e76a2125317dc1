namespace Go1.FlowCheck;

/// <summary>
/// What the flow check reads of <c>POST /orders</c> and <c>GET /orders/{id}</c>: a client of the HTTP contract, it
/// knows only the fields it checks, not the service's types (the stored document may change without touching it).
/// </summary>
public sealed record FlowOrder(Guid Id, string Status, string? SubStatus, FlowOrder.PartyRef? Driver, long Version)
{
    public sealed record PartyRef(string? Id);
}
