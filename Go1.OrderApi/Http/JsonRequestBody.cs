using System.Text.Json;
using Go1.Orders.Application;

namespace Go1.OrderApi.Http;

/// <summary>
/// Reads a bounded JSON body with precise 4xx answers: 415 for another media type, 413 past the limit
/// (whatever Content-Length claims), 400 for anything that is not the expected JSON.
/// </summary>
public static class JsonRequestBody
{
    public const int DefaultMaxBytes = 64 * 1024;

    /// <summary>The parsed body and its raw bytes (for idempotency hashing).</summary>
    public static async Task<(T Value, byte[] Raw)> ReadAsync<T>(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasJsonContentType())
        {
            throw new RequestRejectedException(StatusCodes.Status415UnsupportedMediaType, HttpErrorCodes.UnsupportedMediaType,
                "Send the body as application/json.");
        }

        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        var raw = await ReadBoundedAsync(request, maxBytes, cancellationToken);
        if (!System.Text.Unicode.Utf8.IsValid(raw))
        {
            // The parser checks the strings it maps, not the ones it skips; nothing downstream should meet bad bytes.
            throw new RequestRejectedException(StatusCodes.Status400BadRequest, HttpErrorCodes.MalformedJson, "The body is not valid UTF-8.");
        }

        try
        {
            var value = raw.Length == 0 ? null : JsonSerializer.Deserialize<T>(raw, OrderJson.Options);
            return value is null
                ? throw new RequestRejectedException(StatusCodes.Status400BadRequest, HttpErrorCodes.MalformedJson, "The body must be a JSON object.")
                : (value, raw);
        }
        catch (JsonException ex)
        {
            throw new RequestRejectedException(StatusCodes.Status400BadRequest, HttpErrorCodes.MalformedJson,
                $"The body is not valid JSON for this request (at {ex.Path ?? "$"}, line {ex.LineNumber + 1}).");
        }
    }

    /// <summary>Reads at most <paramref name="maxBytes"/>; one exact-size buffer when Content-Length is known.</summary>
    private static async Task<byte[]> ReadBoundedAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } length)
        {
            var exact = new byte[length];
            await request.Body.ReadExactlyAsync(exact, cancellationToken);
            return exact;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static RequestRejectedException TooLarge(int maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, HttpErrorCodes.PayloadTooLarge, $"The body must be at most {maxBytes} bytes.");
}
