using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Go1.Kafka;
using Go1.ServiceDefaults;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Go1.Messaging;

/// <summary>
/// The one consume loop every topic uses. It reads <c>topic</c> and <c>topic.retry</c>; a handled message's offset
/// is stored only after handling (committed by auto-commit, on rebalance and on close). A failure is classified:
/// <list type="bullet">
/// <item>a dependency outage (<see cref="IDependencyOutageDetector"/>) is no message's fault: the partition is held
/// in place and the same message tried again with capped backoff, so nothing moves towards the DLQ and per-key
/// order holds (health: Degraded meanwhile);</item>
/// <item>a message-specific failure goes to <c>.retry</c> with its attempt count and a not-before time, and after the
/// last attempt to <c>.dlq</c>; one that <see cref="RetryLaterException">cannot be handled yet</see> keeps going
/// through <c>.retry</c> for its window;</item>
/// <item>an unparseable one (<see cref="PoisonMessageException"/>) goes to <c>.dlq</c> at once.</item>
/// </list>
/// An <see cref="IBatchMessageHandler"/> gets the main topic's messages at hand together; a batch that fails is
/// handled one by one under the rules above. Forwarding is acknowledged before the offset moves, so nothing is dropped. A waiting retry or a held partition
/// pauses only its own partition, and every assignment re-applies the pauses (librdkafka keeps an application's
/// pause flag when a rebalance hands a partition back, which would otherwise strand it).
/// </summary>
public sealed partial class TopicConsumer(
    IMessageHandler handler,
    KafkaConsumerFactory<string, byte[]> consumers,
    IProducer<string, byte[]> producer,
    IOptionsMonitor<TopicConsumerOptions> options,
    ConsumerMetrics metrics,
    ConsumerHealth health,
    IEnumerable<IDependencyOutageDetector> outageDetectors,
    TimeProvider clock,
    ILogger<TopicConsumer> logger) : BackgroundService
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);
    private readonly IDependencyOutageDetector[] _outageDetectors = [.. outageDetectors];

    /// <summary>Paused partitions and when to resume them: a retry not due yet, or a message held during an outage.</summary>
    private readonly Dictionary<TopicPartition, DateTimeOffset> _paused = [];

    /// <summary>Outage failures in a row per held partition (the backoff grows with them).</summary>
    private readonly Dictionary<TopicPartition, int> _held = [];
    private volatile bool _assigned;

    /// <summary>Revocations and losses seen (the handlers run on this loop's thread, inside <c>Consume</c>).</summary>
    private int _rebalances;

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
                .SetPartitionsAssignedHandler((_, _) =>
                {
                    _assigned = true;
                    assigned?.Invoke();
                })
                .SetPartitionsRevokedHandler((_, revoked) => Forget(revoked.Select(p => p.TopicPartition)))
                .SetPartitionsLostHandler((_, lost) => Forget(lost.Select(p => p.TopicPartition))));
        consumer.Subscribe([Topic, RetryTopic]);
        LogStarted(logger, Topic, group!);
        ConsumeResult<string, byte[]>? carried = null; // fetched while gathering a batch, but not part of it
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (_assigned)
                {
                    _assigned = false;
                    ApplyPauses(consumer);
                }

                ResumeDuePartitions(consumer);
                ConsumeResult<string, byte[]>? result;
                try
                {
                    result = carried ?? consumer.Consume(PollTimeout);
                    carried = null;
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
                    PauseAt(consumer, result, due);
                    continue;
                }

                if (handler is IBatchMessageHandler batching && result.Topic == Topic)
                {
                    carried = await ProcessBatchAsync(consumer, batching, result, group!, stoppingToken);
                    continue;
                }

                await ProcessAndStoreAsync(consumer, result, group!, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the message in hand was not stored and will be redelivered.
        }
        finally
        {
            Forget([.. _paused.Keys, .. _held.Keys]);
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

    /// <summary>Handles one message and stores its offset, or holds its partition at it while a dependency is down.</summary>
    private async Task ProcessAndStoreAsync(IConsumer<string, byte[]> consumer, ConsumeResult<string, byte[]> result, string group, CancellationToken cancellationToken)
    {
        if (await ProcessAsync(result, group, cancellationToken) is { } holdFor)
        {
            PauseAt(consumer, result, clock.GetUtcNow() + holdFor);
            return;
        }

        consumer.StoreOffset(result);
    }

    /// <summary>
    /// Gathers the messages of the main topic already fetched after <paramref name="first"/> and hands them over together;
    /// if that fails, handles them one by one (a partition held at a message skips the rest of its messages, which come
    /// again after the hold). Returns a message fetched while gathering that belongs to no batch (from .retry), if any.
    /// </summary>
    private async Task<ConsumeResult<string, byte[]>?> ProcessBatchAsync(IConsumer<string, byte[]> consumer, IBatchMessageHandler batching,
        ConsumeResult<string, byte[]> first, string group, CancellationToken cancellationToken)
    {
        List<ConsumeResult<string, byte[]>> batch = [first];
        ConsumeResult<string, byte[]>? carried = null;
        var rebalances = _rebalances;
        while (batch.Count < batching.MaxBatch)
        {
            ConsumeResult<string, byte[]>? next;
            try
            {
                next = consumer.Consume(TimeSpan.Zero);
            }
            catch (ConsumeException ex) when (!ex.Error.IsFatal)
            {
                LogConsumeError(logger, Topic, ex.Error.Reason);
                break;
            }

            if (_rebalances != rebalances)
            {
                // Partitions moved while gathering: what this consumer no longer owns is its next owner's to read.
                batch.RemoveAll(r => !consumer.Assignment.Contains(r.TopicPartition));
                carried = next;
                break;
            }

            if (next?.Message is null || next.IsPartitionEOF)
            {
                break;
            }

            if (next.Topic != Topic)
            {
                carried = next;
                break;
            }

            batch.Add(next);
        }

        if (batch.Count <= 1)
        {
            if (batch.Count == 1)
            {
                await ProcessAndStoreAsync(consumer, batch[0], group, cancellationToken);
            }

            return carried;
        }

        try
        {
            await batching.HandleBatchAsync(batch, cancellationToken);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            LogBatchFailed(logger, ex, Topic, batch.Count);
            var held = new HashSet<TopicPartition>();
            foreach (var result in batch.Where(r => !held.Contains(r.TopicPartition)))
            {
                await ProcessAndStoreAsync(consumer, result, group, cancellationToken);
                if (_paused.ContainsKey(result.TopicPartition))
                {
                    held.Add(result.TopicPartition);
                }
            }

            return carried;
        }

        foreach (var result in batch)
        {
            Handled(result);
            consumer.StoreOffset(result);
        }

        return carried;
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

    /// <summary>
    /// Handles one message; on failure forwards it to .retry or .dlq. Returns null once the message is dealt with, or
    /// how long to hold its partition before trying the same message again (a dependency is down).
    /// </summary>
    public async Task<TimeSpan?> ProcessAsync(ConsumeResult<string, byte[]> result, string group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var attemptsMade = RetryHeaders.AttemptsMade(result.Message.Headers);
        using var activity = KafkaTracing.StartProcess(result, group);
        activity?.SetTag("messaging.go1.attempt", attemptsMade + 1);
        try
        {
            await handler.HandleAsync(result, cancellationToken);
            Handled(result);
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not PoisonMessageException and not RetryLaterException && _outageDetectors.Any(d => d.IsOutage(ex)))
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
            var failures = _held[result.TopicPartition] = _held.GetValueOrDefault(result.TopicPartition) + 1;
            var wait = options.Get(Topic).OutageBackoffFor(failures);
            health.Held(result.Topic, result.Partition.Value, ex.Message);
            metrics.Held(Topic);
            LogHeld(logger, ex, Topic, result.Partition.Value, result.Message.Key, failures, wait.TotalSeconds);
            return wait;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
            await ForwardFailureAsync(result, attemptsMade + 1, ex, cancellationToken);
            return null;
        }
    }

    /// <summary>Counts a handled message; a partition held for an outage flows again.</summary>
    private void Handled(ConsumeResult<string, byte[]> result)
    {
        metrics.Handled(Topic);
        if (_held.Remove(result.TopicPartition))
        {
            health.Released(result.Topic, result.Partition.Value);
            LogRecovered(logger, Topic, result.Partition.Value);
        }
    }

    /// <summary>Sends a message that failed on its own account to .retry while it may still succeed, else to .dlq.</summary>
    private async Task ForwardFailureAsync(ConsumeResult<string, byte[]> result, int made, Exception error, CancellationToken cancellationToken)
    {
        var policy = options.Get(Topic);
        var now = clock.GetUtcNow();
        var retryUntil = error is RetryLaterException later ? RetryHeaders.RetryUntilOf(result.Message.Headers) ?? now + later.Window : (DateTimeOffset?)null;
        var retry = error switch
        {
            PoisonMessageException => false,
            RetryLaterException => now < retryUntil,
            _ => made < policy.MaxAttempts,
        };
        if (retry)
        {
            await ForwardAsync(result, RetryTopic, made, error, now + policy.BackoffFor(made), retryUntil, cancellationToken);
            metrics.Retried(Topic);
            LogRetrying(logger, error, Topic, result.Message.Key, made, error is RetryLaterException ? $"until {retryUntil:O}" : $"of {policy.MaxAttempts}");
        }
        else
        {
            await ForwardAsync(result, DeadLetterTopic, made, error, notBefore: null, retryUntil, cancellationToken);
            metrics.DeadLettered(Topic);
            LogDeadLettered(logger, Topic, result.Message.Key, made, error.Message);
        }
    }

    /// <summary>Publishes a copy and waits for the broker's ack, retrying while Kafka is unreachable.</summary>
    private async Task ForwardAsync(ConsumeResult<string, byte[]> result, string target, int attemptsMade, Exception error, DateTimeOffset? notBefore,
        DateTimeOffset? retryUntil, CancellationToken cancellationToken)
    {
        var message = new Message<string, byte[]>
        {
            Key = result.Message.Key,
            Value = result.Message.Value,
            Headers = RetryHeaders.Forwarded(result, Topic, attemptsMade, $"{error.GetType().Name}: {error.Message}", notBefore, retryUntil),
        };
        // Until the broker takes it: the source message is committed only after this.
        await RetryUntilSuccess.Pipeline(
            (_, _) => TimeSpan.FromSeconds(1),
            (ex, _) => LogForwardFailed(logger, target, ex is ProduceException<string, byte[]> produce ? produce.Error.Reason : ex.Message),
            clock,
            handles: ex => ex is ProduceException<string, byte[]>).ExecuteAsync(async ct => await producer.ProduceAsync(target, message, ct), cancellationToken);
    }

    private void PauseAt(IConsumer<string, byte[]> consumer, ConsumeResult<string, byte[]> result, DateTimeOffset until)
    {
        consumer.Pause([result.TopicPartition]);
        consumer.Seek(result.TopicPartitionOffset);
        _paused[result.TopicPartition] = until;
    }

    /// <summary>After an assignment: resume what this loop has not paused, pause again what it has.</summary>
    private void ApplyPauses(IConsumer<string, byte[]> consumer)
    {
        var assignment = consumer.Assignment;
        consumer.Resume(assignment.Where(p => !_paused.ContainsKey(p)));
        consumer.Pause(assignment.Where(_paused.ContainsKey));
    }

    /// <summary>Partitions this loop no longer owns: their pauses and holds go with them (the next owner re-reads them).</summary>
    private void Forget(IEnumerable<TopicPartition> partitions)
    {
        _rebalances++;
        foreach (var partition in partitions)
        {
            _paused.Remove(partition);
            if (_held.Remove(partition))
            {
                health.Released(partition.Topic, partition.Partition.Value);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "A dependency is down while handling {Topic}[{Partition}] (key {Key}, failure {Failures} in a row): the partition waits {Seconds} s and tries the same message again.")]
    private static partial void LogHeld(ILogger logger, Exception exception, string topic, int partition, string? key, int failures, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Topic}[{Partition}] flows again: its dependency answered.")]
    private static partial void LogRecovered(ILogger logger, string topic, int partition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handling a {Topic} message (key {Key}) failed on attempt {Attempt} ({Limit}); retrying later.")]
    private static partial void LogRetrying(ILogger logger, Exception exception, string topic, string? key, int attempt, string limit);

    [LoggerMessage(Level = LogLevel.Error, Message = "A {Topic} message (key {Key}) was parked in the DLQ after {Attempts} attempt(s): {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string topic, string? key, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "A batch of {Count} {Topic} messages failed; handling them one by one.")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, string topic, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not forward a message to {Target} ({Reason}); retrying.")]
    private static partial void LogForwardFailed(ILogger logger, string target, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing the {Topic} consumer failed: {Reason}")]
    private static partial void LogCloseFailed(ILogger logger, string topic, string reason);
}
