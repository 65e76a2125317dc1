using Go1.OrderApi.Auth;
using Go1.OrderApi.Http;
using Go1.Orders.Application.CreateOrder;
using Go1.Orders.ReadModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Go1.OrderApi.Apis;

public static class OrdersApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/orders")
            .WithTags("Orders")
            .RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        orders.MapPost("/", CreateOrderAsync)
            .WithName("CreateOrder")
            .WithSummary("Create a ride order")
            .WithDescription("Stores the order and its OrderCreated event atomically. A repeated Idempotency-Key returns the first order.")
            .Accepts<CreateOrderRequest>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        orders.MapGet("/{id}", GetOrderAsync)
            .WithName("GetOrder")
            .WithSummary("Read one order")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public static async Task<Created<OrderResponse>> CreateOrderAsync(
        HttpContext context,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        [AsParameters] OrderApiServices services,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(services);
        var caller = context.User.ToCaller();
        var (body, raw) = await JsonRequestBody.ReadAsync<CreateOrderRequest>(context.Request, JsonRequestBody.DefaultMaxBytes, cancellationToken);
        // Only a keyed request needs its hash: the same JSON written another way is the same request.
        var command = idempotencyKey is null
            ? new CreateOrderCommand(caller, body.Service(), body.ToDraft())
            : new CreateOrderCommand(caller, body.Service(), body.ToDraft(), idempotencyKey, CanonicalJson.Hash(raw),
                LegacyRequestHash: Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(raw)));

        var stored = await services.CreateOrder.HandleAsync(command, cancellationToken);
        if (stored.Replayed)
        {
            context.Response.Headers[ReplayedHeader] = "true";
            services.Metrics.Replayed();
        }
        else
        {
            services.Metrics.Created(stored.Order.Status);
        }

        return TypedResults.Created($"/orders/{stored.Order.Id}", OrderResponse.From(OrderDocument.From(stored.Order)));
    }

    public static async Task<OrderBodies.Body> GetOrderAsync(
        HttpContext context,
        string id,
        [AsParameters] OrderApiServices services,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(services);
        var caller = context.User.ToCaller();
        if (!Guid.TryParse(id, out var orderId))
        {
            throw new OrderValidationException(new Dictionary<string, string[]> { ["id"] = ["must be a UUID"] });
        }

        var order = await services.GetOrder.HandleAsync(caller, orderId, cancellationToken);
        return services.Bodies.Of(order);
    }
}
