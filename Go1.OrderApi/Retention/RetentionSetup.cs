namespace Go1.OrderApi.Retention;

public static class RetentionSetup
{
    /// <summary>The retention sweep of the outbox and the idempotency keys (<c>Retention</c> section); needs the orders module.</summary>
    public static IHostApplicationBuilder AddRetentionCleanup(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<RetentionCleanup>();
        if (builder.Configuration.GetValue($"{RetentionOptions.SectionName}:Enabled", true))
        {
            builder.Services.AddHostedService(sp => sp.GetRequiredService<RetentionCleanup>());
        }

        return builder;
    }
}
