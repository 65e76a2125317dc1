using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Go1.Orders.Application;

/// <summary>The one JSON dialect of Go1 payloads (API, events, JSONB, cache): snake_case, no nulls dropped.</summary>
public static class OrderJson
{
    /// <summary>
    /// Read-only once built: the dialect cannot change afterwards, and metadata read from it (<c>GetTypeInfo</c>) is the
    /// configured metadata serialization uses, not the unconfigured kind mutable options hand out.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateReadOnly();

    /// <summary>
    /// Applies the Go1 dialect to options owned by someone else (e.g. ASP.NET Core's): <see cref="OrderJsonContext"/>'s
    /// generated serializers first, then the options' own resolver, or reflection, for any other type.
    /// </summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
        if (options.TypeInfoResolverChain.Count == 0)
        {
            options.TypeInfoResolverChain.Add(new DefaultJsonTypeInfoResolver());
        }

        options.TypeInfoResolverChain.Insert(0, OrderJsonContext.Default);
        return options;
    }

    private static JsonSerializerOptions CreateReadOnly()
    {
        var options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        options.MakeReadOnly();
        return options;
    }
}
