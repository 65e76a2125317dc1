using Go1.OrderApi.Apis;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;

namespace Go1.Tests.Api;

/// <summary>GET's body is the order's response written with the API's options, rendered once per document.</summary>
public sealed class OrderBodiesTests
{
    private static readonly JsonOptions Json = Configured();

    private static JsonOptions Configured()
    {
        var json = new JsonOptions();
        OrderJson.Configure(json.SerializerOptions);
        return json;
    }

    [Fact]
    public void A_body_is_the_response_as_the_api_writes_it()
    {
        var order = OrderDocument.From(TestOrders.New("card"));

        var body = new OrderBodies(Options.Create(Json), nearCache: true).Of(order);

        Assert.Equal(JsonSerializer.Serialize(OrderResponse.From(order), Json.SerializerOptions), Encoding.UTF8.GetString(body.Utf8.Span));
    }

    [Fact]
    public void The_same_document_is_rendered_once_and_an_equal_one_again()
    {
        var bodies = new OrderBodies(Options.Create(Json), nearCache: true);
        var order = OrderDocument.From(TestOrders.New("card"));

        Assert.True(bodies.Of(order).Utf8.Equals(bodies.Of(order).Utf8)); // the same array: rendered once
        // Keyed by instance, not by value: a document parsed again (after an invalidation) is rendered anew.
        Assert.False(bodies.Of(order).Utf8.Equals(bodies.Of(order with { }).Utf8));
    }

    [Fact]
    public void Without_a_near_cache_nothing_is_kept()
    {
        var bodies = new OrderBodies(Options.Create(Json), nearCache: false);
        var order = OrderDocument.From(TestOrders.New("card"));

        Assert.False(bodies.Of(order).Utf8.Equals(bodies.Of(order).Utf8));
        Assert.Equal(bodies.Of(order).Utf8.ToArray(), bodies.Of(order).Utf8.ToArray());
    }

    [Fact]
    public async Task A_body_is_written_as_a_200_with_its_length_and_json_content_type()
    {
        var body = new OrderBodies(Options.Create(Json), nearCache: true).Of(OrderDocument.From(TestOrders.New("cash")));
        var context = new DefaultHttpContext();
        using var stream = new MemoryStream();
        context.Response.Body = stream;

        await body.ExecuteAsync(context);

        Assert.Equal((200, "application/json; charset=utf-8", (long?)body.Utf8.Length), (context.Response.StatusCode, context.Response.ContentType, context.Response.ContentLength));
        Assert.Equal(body.Utf8.ToArray(), stream.ToArray());
    }
}
