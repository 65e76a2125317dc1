using Go1.Orders.Infrastructure.Cache;
using Go1.Tests.ChangeCapture;

namespace Go1.Tests.Benchmarks;

/// <summary>
/// Figures, not assertions: CPU per cache hit, step by step (Redis round trip, JSON, domain mapping), to see
/// where a cache-hit GET spends what a bare endpoint does not. Not part of the test run:
/// <c>dotnet Go1.Tests/bin/Debug/net10.0/Go1.Tests.dll -explicit only -class Go1.Tests.Benchmarks.CacheReadBenchmarks -showLiveOutput</c>.
/// </summary>
public sealed class CacheReadBenchmarks(RedisServer redis, ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task MeasureAsync(string name, int count, Func<Task> step)
    {
        for (var i = 0; i < 2000; i++)
        {
            await step();
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await step();
        }

        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        output.WriteLine($"{name,-48} {clock.Elapsed.TotalMicroseconds / count,8:F1} µs wall {used.TotalMicroseconds / count,8:F1} µs CPU per call");
    }

    [Fact(Explicit = true)]
    public async Task Cost_of_each_step_of_a_cache_hit()
    {
        const int N = 20_000;
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var cache = new RedisOrderCache(connection, new OrderCacheOptions());
        var order = OrderRows.Order();
        await cache.SetIfNewerAsync(order, Ct);
        var json = JsonSerializer.Serialize(order, OrderJson.Options);
        var db = connection.GetDatabase();
        var key = (RedisKey)RedisOrderCache.Key(order.Id);

        await MeasureAsync("Redis GET (raw StringGetAsync)", N, () => db.StringGetAsync(key));
        await MeasureAsync("RedisOrderCache.GetAsync (GET + deserialize)", N, () => cache.GetAsync(order.Id, Ct));
        await MeasureAsync("GetAsync with WaitAsync(250 ms)", N, () => cache.GetAsync(order.Id, Ct).WaitAsync(TimeSpan.FromMilliseconds(250), Ct));
        await MeasureAsync("deserialize OrderDocument", N, () => Task.FromResult(JsonSerializer.Deserialize<OrderDocument>(json, OrderJson.Options)));
        await MeasureAsync("ToDomain + OrderDocument.From", N, () => Task.FromResult(OrderDocument.From(order.ToDomain())));
        await MeasureAsync("serialize OrderDocument", N, () => Task.FromResult(JsonSerializer.SerializeToUtf8Bytes(order, OrderJson.Options)));
    }
}
