using System.Text.Json;
using System.Text.Json.Serialization;
using Go1.Orders.Application.Events;
using Go1.Orders.ReadModel;

namespace Go1.Orders.Application;

/// <summary>
/// Serializers generated at build time for what Go1 stores and publishes, in the <see cref="OrderJson"/> dialect. Its
/// options must equal the dialect's: only then does System.Text.Json write with the generated code rather than
/// through its converters (a test holds them together).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.Strict,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(OrderDocument))]
[JsonSerializable(typeof(IReadOnlyList<OrderDocument.PointInfo>))]
[JsonSerializable(typeof(List<OrderDocument.PointInfo>))]
[JsonSerializable(typeof(OrderCreated))]
[JsonSerializable(typeof(DispatchEvent))]
[JsonSerializable(typeof(ShipmentEvent))]
public sealed partial class OrderJsonContext : JsonSerializerContext;
