using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Go1.AppHost.Debezium;

/// <summary>
/// Registers <c>debezium/connector.json</c> once Kafka Connect is healthy, with the same idempotent
/// <c>PUT /connectors/{name}/config</c> the <c>debezium/register</c> script uses.
/// </summary>
public static partial class DebeziumConnectorRegistration
{
    public const int MaxAttempts = 30;
    public const string ConnectorName = "go1-orders";
    public const string Image = "quay.io/debezium/connect";
    public const string Tag = "3.5.2.Final";
    public const int RestPort = 8083;

    public static string ConnectorFile(IDistributedApplicationBuilder builder) =>
        Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "debezium", "connector.json"));

    /// <summary>Kafka Connect with the Debezium PostgreSQL connector; registers the connector when ready.</summary>
    public static IResourceBuilder<ContainerResource> AddDebezium(
        this IDistributedApplicationBuilder builder,
        string name,
        EndpointReference kafkaInternalEndpoint,
        IResourceBuilder<PostgresServerResource> postgres,
        string database)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(kafkaInternalEndpoint);
        ArgumentNullException.ThrowIfNull(postgres);

        var pg = postgres.Resource;
        var debezium = builder.AddContainer(name, Image, Tag)
            .WithHttpEndpoint(port: RestPort, targetPort: RestPort, name: "http")
            .WithEnvironment("BOOTSTRAP_SERVERS", kafkaInternalEndpoint.Property(EndpointProperty.HostAndPort))
            .WithEnvironment("GROUP_ID", "go1-connect")
            .WithEnvironment("CONFIG_STORAGE_TOPIC", "go1_connect_configs")
            .WithEnvironment("OFFSET_STORAGE_TOPIC", "go1_connect_offsets")
            .WithEnvironment("STATUS_STORAGE_TOPIC", "go1_connect_statuses")
            .WithEnvironment("CONNECT_CONFIG_STORAGE_REPLICATION_FACTOR", "1")
            .WithEnvironment("CONNECT_OFFSET_STORAGE_REPLICATION_FACTOR", "1")
            .WithEnvironment("CONNECT_STATUS_STORAGE_REPLICATION_FACTOR", "1")
            // connector.json reads the database coordinates from this environment: no secrets in the file.
            .WithEnvironment("CONNECT_CONFIG_PROVIDERS", "env")
            .WithEnvironment("CONNECT_CONFIG_PROVIDERS_ENV_CLASS", "org.apache.kafka.common.config.provider.EnvVarConfigProvider")
            .WithEnvironment("GO1_PG_HOST", pg.PrimaryEndpoint.Property(EndpointProperty.Host))
            .WithEnvironment("GO1_PG_PORT", pg.PrimaryEndpoint.Property(EndpointProperty.TargetPort))
            .WithEnvironment("GO1_PG_USER", pg.UserNameReference)
            .WithEnvironment("GO1_PG_PASSWORD", pg.PasswordParameter)
            .WithEnvironment("GO1_PG_DATABASE", database)
            .WithHttpHealthCheck("/connectors");

        var connectorFile = ConnectorFile(builder);
        builder.Eventing.Subscribe<ResourceReadyEvent>(debezium.Resource, async (e, ct) =>
        {
            var logger = e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(debezium.Resource);
            var endpoint = debezium.Resource.GetEndpoint("http");
            await RegisterAsync(new Uri(endpoint.Url), connectorFile, logger, ct).ConfigureAwait(false);
        });

        return debezium;
    }

    /// <summary>
    /// PUTs the connector config, retrying every <paramref name="retryDelay"/> (default 2 s) while Connect is still
    /// starting its workers, <see cref="MaxAttempts"/> times in all. True once registered.
    /// </summary>
    public static async Task<bool> RegisterAsync(Uri connectUrl, string connectorFile, ILogger logger, CancellationToken cancellationToken, TimeSpan? retryDelay = null)
    {
        using var http = new HttpClient { BaseAddress = connectUrl, Timeout = TimeSpan.FromSeconds(10) };
        var body = await File.ReadAllTextAsync(connectorFile, cancellationToken).ConfigureAwait(false);
        // Every failed attempt is logged, the last one too (Polly's OnRetry runs only before a retry).
        async ValueTask LogFailureAsync(Exception? exception, HttpResponseMessage? response, int attempt, CancellationToken ct)
        {
            if (exception is not null)
            {
                LogUnreachable(logger, attempt, exception);
            }
            else if (response is not null)
            {
                var detail = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                LogRefused(logger, ConnectorName, (int)response.StatusCode, detail, attempt);
            }
        }

        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = MaxAttempts - 1,
                Delay = retryDelay ?? TimeSpan.FromSeconds(2),
                BackoffType = DelayBackoffType.Constant,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>().Handle<HttpRequestException>().HandleResult(r => !r.IsSuccessStatusCode),
                OnRetry = args => LogFailureAsync(args.Outcome.Exception, args.Outcome.Result, args.AttemptNumber + 1, args.Context.CancellationToken),
            })
            .Build();

        try
        {
            using var response = await pipeline.ExecuteAsync(async ct =>
            {
                using var content = new StringContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                return await http.PutAsync(new Uri($"connectors/{ConnectorName}/config", UriKind.Relative), content, ct).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                LogRegistered(logger, ConnectorName, (int)response.StatusCode);
                return true;
            }

            await LogFailureAsync(null, response, MaxAttempts, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            await LogFailureAsync(ex, null, MaxAttempts, cancellationToken).ConfigureAwait(false);
        }

        LogGaveUp(logger, ConnectorName, MaxAttempts);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Debezium connector {Connector} registered ({Status}).")]
    private static partial void LogRegistered(ILogger logger, string connector, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registering connector {Connector} failed with {Status}: {Detail} (attempt {Attempt}).")]
    private static partial void LogRefused(ILogger logger, string connector, int status, string detail, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka Connect not reachable yet (attempt {Attempt}).")]
    private static partial void LogUnreachable(ILogger logger, int attempt, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Giving up registering connector {Connector} after {Attempts} attempts; run debezium/register by hand.")]
    private static partial void LogGaveUp(ILogger logger, string connector, int attempts);
}
