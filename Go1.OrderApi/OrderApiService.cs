namespace Go1.OrderApi;

/// <summary>
/// Names this service's assembly where a type is needed for it, as test hosts (WebApplicationFactory) do: every
/// service's top-level <c>Program</c> is the same global type name.
/// </summary>
public sealed class OrderApiService
{
    private OrderApiService()
    {
    }
}
