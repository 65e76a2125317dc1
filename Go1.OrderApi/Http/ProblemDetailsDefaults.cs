using System.Diagnostics;

namespace Go1.OrderApi.Http;

internal static class ProblemDetailsDefaults
{
    public const string CodeKey = "code";
    public const string TraceIdKey = "traceId";

    /// <summary>
    /// Every ProblemDetails — from exceptions, auth challenges or unmatched routes — gets a <c>code</c>
    /// and the trace id (the one Jaeger and the dashboard search by).
    /// </summary>
    public static IServiceCollection AddGo1ProblemDetails(this IServiceCollection services) =>
        services
            .AddExceptionHandler<ProblemExceptionHandler>()
            .AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            {
                var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
                context.ProblemDetails.Extensions.TryAdd(CodeKey, HttpErrorCodes.ForStatus(status));
                context.ProblemDetails.Extensions[TraceIdKey] = Activity.Current?.TraceId.ToHexString() ?? context.HttpContext.TraceIdentifier;
            });
}
