using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Go1.ServiceDefaults.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Go1.ServiceDefaults.Messaging;

/// <summary>
/// The one consume loop every topic uses. It reads <c>topic</c> and <c>topic.retry</c>; a handled
/// message's offset is stored only after handling (committed by auto-commit, on rebalance and on
/// close), a failing one is forwarded to <c>.retry</c> with its attempt count and a not-before time,
/// and after the last attempt — or at once when it cannot be parsed — to <c>.dlq</c>. Forwarding is
/// acknowledged before the offset moves, so nothing is dropped. Retry messages that are not due yet
/// pause only their own partition: a waiting retry never blocks the main topic.
/// </summary>
public sealed partial class TopicConsumer(
    IMessageHandler handler,
    KafkaConsumerFactory<string, byte[]> consumers,
    IProducer<string, byte[]> producer,
    IOptionsMonitor<TopicConsumerOptions> options,
    ConsumerMetrics metrics,
    TimeProvider clock,
    ILogger<TopicConsumer> logger) : BackgroundService
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);
    private readonly Dictionary<TopicPartition, DateTimeOffset> _paused = [];

    public string Topic => handler.Topic;

    public string RetryTopic => handler.Topic + ".retry";

    public string DeadLetterTopic => handler.Topic + ".dlq";

    /// <summary>One group per topic, so each loop owns its topic's partitions.</summary>
    public string GroupId(string baseGroupId) => $"{baseGroupId}.{handler.Topic}";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => RunAsync(stoppingToken);

    /// <summary>
    /// The consume loop, for callers that own its lifetime instead of the host. <paramref name="assigned"/> is
    /// called whenever the group hands this consumer its partitions: from then on it reads live messages.
    /// </summary>
    public async Task RunAsync(CancellationToken stoppingToken, Action? assigned = null)
    {
        await Task.Yield();
        await EnsureTopicsAsync();
        string? group = null;
        using var consumer = consumers.Create(
            config =>
            {
                config.GroupId = group = GroupId(config.GroupId ?? "go1");
                config.EnableAutoCommit = true;
                config.EnableAutoOffsetStore = false;
                config.AutoOffsetReset ??= AutoOffsetReset.Earliest;
                config.AllowAutoCreateTopics ??= true;
                // Notice soon a .retry topic that the broker created on its first message.
                config.TopicMetadataRefreshIntervalMs ??= 10_000;
            },
            builder => builder
                .SetPartitionsAssignedHandler((_, _) => assigned?.Invoke())
                .SetPartitionsRevokedHandler((_, revoked) =>
                {
                    foreach (var partition in revoked)
                    {
                        _paused.Remove(partition.TopicPartition);
                    }
                }));
        consumer.Subscribe([Topic, RetryTopic]);
        LogStarted(logger, Topic, group!);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                ResumeDuePartitions(consumer);
                ConsumeResult<string, byte[]>? result;
                try
                {
                    result = consumer.Consume(PollTimeout);
                }
                catch (ConsumeException ex) when (!ex.Error.IsFatal)
                {
                    LogConsumeError(logger, Topic, ex.Error.Reason);
                    continue;
                }

                if (result?.Message is null || result.IsPartitionEOF)
                {
                    continue;
                }

                if (result.Topic == RetryTopic && RetryHeaders.NotBeforeOf(result.Message.Headers) is { } due && due > clock.GetUtcNow())
                {
                    consumer.Pause([result.TopicPartition]);
                    consumer.Seek(result.TopicPartitionOffset);
                    _paused[result.TopicPartition] = due;
                    continue;
                }

                await ProcessAsync(result, group!, stoppingToken);
                consumer.StoreOffset(result);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the message in hand was not stored and will be redelivered.
        }
        finally
        {
            try
            {
                consumer.Close(); // commits the stored offsets and leaves the group cleanly
            }
            catch (KafkaException ex)
            {
                LogCloseFailed(logger, Topic, ex.Error.Reason);
            }
        }
    }

    /// <summary>
    /// Creates the topic, its .retry and its .dlq with the broker's default partitions when they are missing.
    /// Brokers that refuse (no permission, or test peers without the admin API) leave it to auto-creation.
    /// </summary>
    private async Task EnsureTopicsAsync()
    {
        using var admin = consumers.CreateAdminClient();
        try
        {
            var existing = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.Where(t => !t.Error.IsError).Select(t => t.Topic).ToHashSet();
            var missing = new[] { Topic, RetryTopic, DeadLetterTopic }.Where(name => !existing.Contains(name)).ToList();
            if (missing.Count == 0)
            {
                return;
            }

            await admin.CreateTopicsAsync(
                missing.Select(name => new TopicSpecification { Name = name, NumPartitions = -1, ReplicationFactor = -1 }),
                new CreateTopicsOptions { RequestTimeout = TimeSpan.FromSeconds(10) });
        }
        catch (CreateTopicsException ex) when (ex.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
        {
            // Already there.
        }
        catch (KafkaException ex)
        {
            LogTopicsNotProvisioned(logger, Topic, ex.Error.Reason);
        }
    }

    /// <summary>Handles one message; on failure forwards it to .retry or .dlq. Returns only once the message is dealt with.</summary>
    public async Task ProcessAsync(ConsumeResult<string, byte[]> result, string group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var attemptsMade = RetryHeaders.AttemptsMade(result.Message.Headers);
        using var activity = KafkaTracing.StartProcess(result, group);
        activity?.SetTag("messaging.go1.attempt", attemptsMade + 1);
        try
        {
            await handler.HandleAsync(result, cancellationToken);
            metrics.Handled(Topic);
            return;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (PoisonMessageException ex)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
            await ForwardAsync(result, DeadLetterTopic, attemptsMade + 1, ex, notBefore: null, cancellationToken);
            metrics.DeadLettered(Topic);
            LogDeadLettered(logger, Topic, result.Message.Key, attemptsMade + 1, ex.Message);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
            var made = attemptsMade + 1;
            var policy = options.Get(Topic);
            if (made < policy.MaxAttempts)
            {
                await ForwardAsync(result, RetryTopic, made, ex, clock.GetUtcNow() + policy.BackoffFor(made), cancellationToken);
                metrics.Retried(Topic);
                LogRetrying(logger, ex, Topic, result.Message.Key, made, policy.MaxAttempts);
            }
            else
            {
                await ForwardAsync(result, DeadLetterTopic, made, ex, notBefore: null, cancellationToken);
                metrics.DeadLettered(Topic);
                LogDeadLettered(logger, Topic, result.Message.Key, made, ex.Message);
            }
        }
    }

    /// <summary>Publishes a copy and waits for the broker's ack, retrying while Kafka is unreachable.</summary>
    private async Task ForwardAsync(ConsumeResult<string, byte[]> result, string target, int attemptsMade, Exception error, DateTimeOffset? notBefore, CancellationToken cancellationToken)
    {
        var message = new Message<string, byte[]>
        {
            Key = result.Message.Key,
            Value = result.Message.Value,
            Headers = RetryHeaders.Forwarded(result, Topic, attemptsMade, $"{error.GetType().Name}: {error.Message}", notBefore),
        };
        while (true)
        {
            try
            {
                await producer.ProduceAsync(target, message, cancellationToken);
                return;
            }
            catch (ProduceException<string, byte[]> ex)
            {
                LogForwardFailed(logger, target, ex.Error.Reason);
                await Task.Delay(TimeSpan.FromSeconds(1), clock, cancellationToken);
            }
        }
    }

    private void ResumeDuePartitions(IConsumer<string, byte[]> consumer)
    {
        if (_paused.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var due = _paused.Where(p => p.Value <= now).Select(p => p.Key).ToList();
        if (due.Count > 0)
        {
            consumer.Resume(due);
            due.ForEach(p => _paused.Remove(p));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not provision {Topic} and its .retry/.dlq topics ({Reason}); relying on auto-creation.")]
    private static partial void LogTopicsNotProvisioned(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consuming {Topic} and its .retry topic as group {Group}.")]
    private static partial void LogStarted(ILogger logger, string topic, string group);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consume error on {Topic}: {Reason}")]
    private static partial void LogConsumeError(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handling a {Topic} message (key {Key}) failed on attempt {Attempt} of {MaxAttempts}; retrying later.")]
    private static partial void LogRetrying(ILogger logger, Exception exception, string topic, string? key, int attempt, int maxAttempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "A {Topic} message (key {Key}) was parked in the DLQ after {Attempts} attempt(s): {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string topic, string? key, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not forward a message to {Target} ({Reason}); retrying.")]
    private static partial void LogForwardFailed(ILogger logger, string target, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing the {Topic} consumer failed: {Reason}")]
    private static partial void LogCloseFailed(ILogger logger, string topic, string reason);
}
