using Go1.Orders.Application;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Go1.OrderApi.Http;

/// <summary>
/// Turns every exception into an RFC 9457 ProblemDetails with a stable <c>code</c>: client mistakes
/// are 4xx, unreachable dependencies 503 with Retry-After, and only our own bugs 500 — never with a stack trace.
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problemDetails, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            return true; // The client went away; nobody is left to answer.
        }

        var problem = Describe(exception);
        if (problem.Status >= 500)
        {
            if (exception is DependencyUnavailableException unavailable)
            {
                LogDependencyUnavailable(logger, unavailable.Dependency, exception);
                httpContext.Response.Headers.RetryAfter = "5";
            }
            else
            {
                LogUnhandled(logger, exception);
            }
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static ProblemDetails Describe(Exception exception) => exception switch
    {
        OrderValidationException validation => WithCode(
            new HttpValidationProblemDetails(validation.Errors.ToDictionary(e => e.Key, e => e.Value))
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The order is invalid.",
                Detail = validation.Message,
            },
            validation.Code),
        DomainException domain => Problem(StatusFor(domain.Code), domain.Code, domain.Message),
        RequestRejectedException rejected => Problem(rejected.StatusCode, rejected.Code, rejected.Message),
        BadHttpRequestException bad => Problem(bad.StatusCode, HttpErrorCodes.ForStatus(bad.StatusCode), "The request could not be read."),
        DependencyUnavailableException unavailable => Problem(StatusCodes.Status503ServiceUnavailable, HttpErrorCodes.DependencyUnavailable,
            $"{unavailable.Dependency} is unavailable; retry shortly."),
        _ => Problem(StatusCodes.Status500InternalServerError, HttpErrorCodes.InternalError, "An unexpected error occurred."),
    };

    private static int StatusFor(string code) => code switch
    {
        ErrorCodes.OrderNotFound => StatusCodes.Status404NotFound,
        ErrorCodes.OrderAccessDenied => StatusCodes.Status403Forbidden,
        ErrorCodes.IllegalTransition => StatusCodes.Status409Conflict,
        ErrorCodes.ServiceNotFound or ErrorCodes.ServiceDisabled or ErrorCodes.IdempotencyKeyReused => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status400BadRequest,
    };

    private static ProblemDetails Problem(int status, string code, string detail) =>
        WithCode(new ProblemDetails { Status = status, Detail = detail }, code);

    private static T WithCode<T>(T problem, string code) where T : ProblemDetails
    {
        problem.Extensions[ProblemDetailsDefaults.CodeKey] = code;
        return problem;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dependency {Dependency} unavailable; answered 503.")]
    private static partial void LogDependencyUnavailable(ILogger logger, string dependency, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception; answered 500.")]
    private static partial void LogUnhandled(ILogger logger, Exception exception);
}
