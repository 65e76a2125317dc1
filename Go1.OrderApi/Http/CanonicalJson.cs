using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Go1.OrderApi.Http;

/// <summary>
/// A hash of what a JSON document says rather than how it is written: object members sorted by name, no insignificant
/// whitespace, numbers in one form (106.70 and 106.7 are the same number). Two bodies hash alike exactly when they mean the same.
/// </summary>
public static class CanonicalJson
{
    /// <summary>Marks hashes of the canonical form; stored hashes without it hash the raw bytes (before this form existed).</summary>
    public const string Version = "c1:";

    /// <summary><see cref="Version"/> and the hex SHA-256 of the canonical form of <paramref name="json"/> (already checked to be valid JSON).</summary>
    public static string Hash(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        using var buffer = new MemoryStream();
        try
        {
            using var writer = new Utf8JsonWriter(buffer);
            Write(writer, document.RootElement);
        }
        catch (InvalidOperationException ex)
        {
            // A member the request type does not map, named with a lone surrogate escape: decoded only here.
            throw new RequestRejectedException(StatusCodes.Status400BadRequest, HttpErrorCodes.MalformedJson, $"The body is not valid JSON text: {ex.Message}");
        }

        return Version + Convert.ToHexString(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.Number when element.TryGetInt64(out var integer):
                writer.WriteNumberValue(integer);
                break;
            case JsonValueKind.Number when element.TryGetDouble(out var number) && double.IsFinite(number):
                writer.WriteRawValue(number.ToString("R", CultureInfo.InvariantCulture), skipInputValidation: true);
                break;
            default:
                element.WriteTo(writer); // strings (escapes normalised by the writer), true, false, null, out-of-range numbers
                break;
        }
    }
}
