using System.Reflection;
using System.Text.Json.Serialization.Metadata;

namespace Go1.Tests.ReadModel;

/// <summary>
/// What Go1 stores and publishes on every create (the JSONB columns, the Redis document, the outbox payload) is
/// written by the code generated at build time. System.Text.Json runs that code only while the options equal those it
/// was generated for and otherwise falls back, silently, to its converters: so the live options are checked here.
/// </summary>
public sealed class GeneratedJsonTests
{
    // System.Text.Json's own verdict that the generated writer is used for a type under given options. Internal, so
    // looked up by name: a rename in a later runtime fails these tests loudly rather than letting them pass.
    private static readonly PropertyInfo UsesGeneratedWriter =
        typeof(JsonTypeInfo).GetProperty("CanUseSerializeHandler", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException("System.Text.Json no longer has JsonTypeInfo.CanUseSerializeHandler; find its fast-path flag again.");

    public static TheoryData<Type> Written =>
    [
        typeof(OrderDocument), typeof(OrderDocument.ServiceInfo), typeof(OrderDocument.PaymentInfo), typeof(OrderDocument.PartyInfo),
        typeof(IReadOnlyList<OrderDocument.PointInfo>), typeof(List<OrderDocument.PointInfo>),
        typeof(OrderCreated), typeof(DispatchEvent), typeof(ShipmentEvent),
    ];

    [Theory]
    [MemberData(nameof(Written))]
    public void What_go1_stores_and_publishes_is_written_by_generated_code(Type type)
    {
        var info = OrderJson.Options.GetTypeInfo(type);

        Assert.Same(OrderJsonContext.Default, info.OriginatingResolver);
        Assert.True((bool)UsesGeneratedWriter.GetValue(info)!, $"{type.Name} is written through converters: OrderJson.Options differ from OrderJsonContext's generation options.");
    }
}
