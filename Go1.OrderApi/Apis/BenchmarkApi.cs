namespace Go1.OrderApi.Apis;

public static class BenchmarkApi
{
    /// <summary>
    /// <c>GET /bench/bare</c>, only when <c>Benchmark:BareEndpoint</c> is true: the HTTP ceiling bench/orders compares
    /// <c>GET /orders/{id}</c> with (same pipeline, no work).
    /// </summary>
    public static IEndpointRouteBuilder MapBenchmarkApi(this IEndpointRouteBuilder app, IConfiguration configuration)
    {
        if (configuration.GetValue<bool>("Benchmark:BareEndpoint"))
        {
            app.MapGet("/bench/bare", () => TypedResults.Ok()).ExcludeFromDescription();
        }

        return app;
    }
}
