namespace Go1.Tests.Api;

/// <summary>
/// A request's Redis calls become spans soon after it ends. Until they do, the instrumentation holds the request's
/// activity and profiling session in memory: Aspire's built-in copy swept them every 10 s, so a busy API held ten
/// seconds of requests and grew by hundreds of megabytes.
/// </summary>
public sealed class RedisTracingTests : IClassFixture<OrderApiFixture>, IDisposable
{
    private readonly OrderApiFixture _api;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ConcurrentDictionary<ActivityTraceId, DateTimeOffset> _redisSpanEnded = new();
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name == "OpenTelemetry.Instrumentation.StackExchangeRedis",
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    public RedisTracingTests(OrderApiFixture api)
    {
        _api = api;
        _listener.ActivityStopped = span => _redisSpanEnded.TryAdd(span.TraceId, DateTimeOffset.UtcNow);
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task A_requests_redis_calls_are_recorded_as_spans_within_a_second_of_its_end()
    {
        var client = _api.ClientFor("redis-tracing-user");
        var ids = new List<Guid>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add((await OrderApiFixture.ReadOrderAsync(await client.PostAsJsonAsync("/orders", OrderApiFixture.ValidOrder(), Ct))).Id);
        }

        // Each read is a first read (a near-cache miss, so Redis is asked) in a trace of its own, over three seconds.
        var answered = new Dictionary<ActivityTraceId, DateTimeOffset>();
        foreach (var id in ids)
        {
            var trace = ActivityTraceId.CreateRandom();
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/orders/{id}");
            request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
            using var response = await client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            answered[trace] = DateTimeOffset.UtcNow;
            await Task.Delay(100, Ct);
        }

        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        var late = answered
            .Select(read => (Lag: _redisSpanEnded.TryGetValue(read.Key, out var ended) ? ended - read.Value : (TimeSpan?)null, read.Key))
            .Where(read => read.Lag is null || read.Lag > TimeSpan.FromSeconds(1))
            .ToList();
        Assert.True(late.Count == 0,
            $"{late.Count} of {answered.Count} reads had no Redis span a second after they were answered (lags: {string.Join(", ", late.Select(r => r.Lag?.TotalMilliseconds.ToString("F0", System.Globalization.CultureInfo.InvariantCulture) ?? "none"))})");
    }
}
