namespace Go1.OrderApi.Http;

public static class CorsSetup
{
    public const string SectionName = "Cors:AllowedOrigins";

    /// <summary>Browsers may call the API only from the origins listed in <c>Cors:AllowedOrigins</c> (none by default).</summary>
    public static IHostApplicationBuilder AddGo1Cors(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var origins = builder.Configuration.GetSection(SectionName).Get<string[]>() ?? [];
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .WithOrigins(origins)
            .AllowAnyHeader()
            .AllowAnyMethod()
            .WithExposedHeaders("Location", "Idempotent-Replayed")));
        return builder;
    }
}
