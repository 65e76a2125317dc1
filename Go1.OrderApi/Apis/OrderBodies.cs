using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Go1.Orders.ReadModel;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;

namespace Go1.OrderApi.Apis;

/// <summary>
/// The JSON body of <c>GET /orders/{id}</c>, rendered once per document: a near-cache hit hands out the same
/// <see cref="OrderDocument"/> again and again, so its body is kept beside it and goes when the near cache drops it.
/// The body is <see cref="OrderResponse"/> written with the API's JSON options, as a typed result would write it.
/// Without a near cache no document is read twice, so none is kept.
/// </summary>
public sealed class OrderBodies
{
    private readonly ConditionalWeakTable<OrderDocument, byte[]> _bodies = [];
    private readonly ConditionalWeakTable<OrderDocument, byte[]>.CreateValueCallback _render;

    private readonly bool _keep;

    public OrderBodies(IOptions<JsonOptions> json, bool nearCache)
    {
        ArgumentNullException.ThrowIfNull(json);
        _keep = nearCache;
        var options = json.Value.SerializerOptions;
        _render = order => JsonSerializer.SerializeToUtf8Bytes(OrderResponse.From(order), options);
    }

    public Body Of(OrderDocument order) => new(_keep ? _bodies.GetValue(order, _render) : _render(order));

    /// <summary>An order's rendered JSON as a 200 (described to OpenAPI as <see cref="OrderResponse"/>).</summary>
    public sealed class Body(byte[] utf8) : IResult, IEndpointMetadataProvider
    {
        public ReadOnlyMemory<byte> Utf8 => utf8;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength = utf8.Length;
            return response.Body.WriteAsync(utf8, httpContext.RequestAborted).AsTask();
        }

        public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
        {
            ArgumentNullException.ThrowIfNull(builder);
            builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(OrderResponse), ["application/json"]));
        }
    }
}
