namespace Go1.OrderApi.Http;

/// <summary>The request itself is unusable (wrong media type, too large, not JSON); maps to a 4xx ProblemDetails.</summary>
public sealed class RequestRejectedException(int statusCode, string code, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public string Code { get; } = code;
}
