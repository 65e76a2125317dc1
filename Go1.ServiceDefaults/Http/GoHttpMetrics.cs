using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Go1.ServiceDefaults.Http;

/// <summary>
/// The Go system's HTTP metrics, under the names its dashboards and alerts query —
/// <c>http_requests_total</c>, <c>http_request_duration_seconds</c>, <c>http_active_requests</c> — labelled
/// <c>method</c>, <c>path</c> (the route template, so ids do not explode cardinality) and <c>status</c>.
/// Registered first in the pipeline, so the status is the one the client got, after error handling.
/// </summary>
public sealed class GoHttpMetrics
{
    public const string MeterName = "Go1.Http";
    private const string Unmatched = "unmatched";

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly UpDownCounter<long> _active;

    public GoHttpMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("http_requests", "{request}", "HTTP requests handled, by method, route and status.");
        _duration = meter.CreateHistogram<double>("http_request_duration", "s", "HTTP request duration, by method, route and status.");
        _active = meter.CreateUpDownCounter<long>("http_active_requests", "{request}", "HTTP requests in progress.");
    }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var started = Stopwatch.GetTimestamp();
        _active.Add(1);
        var status = StatusCodes.Status500InternalServerError; // what an exception escaping every handler becomes
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        finally
        {
            _active.Add(-1);
            var tags = new TagList
            {
                { "method", context.Request.Method },
                { "path", (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? Unmatched },
                { "status", status },
            };
            _requests.Add(1, tags);
            _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        }
    }

    /// <summary>Puts the metrics middleware in front of everything the application adds.</summary>
    internal sealed class First(GoHttpMetrics metrics) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(nextDelegate => context => metrics.InvokeAsync(context, nextDelegate));
            next(app);
        };
    }
}
