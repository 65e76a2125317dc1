using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Go1.Kafka;
using Go1.Orders.Application.Events;
using Go1.Orders.Application.Ports;

namespace Go1.OrderApi.Outbox;

/// <summary>
/// Publishes committed outbox messages to Kafka (key = aggregate id) and marks them published only
/// after the broker acknowledged them. Woken by NOTIFY, polling as a fallback; several replicas can
/// run side by side because claims skip locked rows. At-least-once: a crash between the broker's ack
/// and the commit republishes the batch, and consumers dedupe by event id. A message the broker refuses
/// for its own sake (too large, a topic it may not write) is parked after <c>MaxRejections</c> refusals, so
/// it cannot head every claim for ever; an unreachable broker is an outage and never parks anything.
/// </summary>
public sealed partial class OutboxRelay(
    IOutbox outbox,
    IProducer<string, byte[]> producer,
    IOptions<OutboxRelayOptions> options,
    OutboxMetrics metrics,
    TimeProvider clock,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    /// <summary>
    /// Broker answers about the message itself: retrying the same bytes cannot change them. A refused topic ACL or a
    /// corrupt transfer is not one of them: it is the cluster's state, hits every message alike, and passes.
    /// </summary>
    private static readonly HashSet<ErrorCode> Refusals =
    [
        ErrorCode.MsgSizeTooLarge, ErrorCode.RecordListTooLarge, ErrorCode.Local_BadMsg, ErrorCode.TopicException, ErrorCode.InvalidRecord,
    ];

    private readonly OutboxRelayOptions _options = options.Value;
    private DateTimeOffset _nextBacklog = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            LogDisabled(logger);
            return;
        }

        await Task.Yield();
        var round = RetryUntilSuccess.Pipeline((_, _) => _options.RetryDelay, (ex, _) => LogRoundFailed(logger, ex), clock);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await round.ExecuteAsync(async ct =>
                {
                    var relayed = await RelayBatchAsync(ct);
                    await MaintainAsync(ct);
                    if (relayed < _options.BatchSize)
                    {
                        await outbox.WaitForMessagesAsync(_options.PollInterval, ct);
                    }
                }, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <summary>Claims one batch, publishes it and records the outcome; returns how many messages Kafka acknowledged.</summary>
    public async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var batch = await outbox.ClaimAsync(_options.BatchSize, cancellationToken);
        if (batch.Messages.Count == 0)
        {
            return 0;
        }

        // Produce the whole batch before awaiting: librdkafka pipelines it and keeps per-key order.
        var outcomes = await Task.WhenAll(batch.Messages.Select(m => PublishAsync(m, cancellationToken)));
        var published = outcomes.Where(o => o.Error is null).Select(o => o.Message.EventId).ToList();
        var failed = outcomes.Where(o => o.Error is not null).ToDictionary(o => o.Message.EventId, o => o.Error!);
        var parked = await batch.CompleteAsync(published, failed, _options.MaxRejections, cancellationToken);

        foreach (var (message, error, ackedAt) in outcomes)
        {
            if (error is null)
            {
                metrics.Published(message.Topic, ackedAt - message.CreatedAt);
            }
            else
            {
                metrics.Failed(message.Topic);
            }
        }

        if (failed.Count > 0)
        {
            LogPublishFailed(logger, failed.Count, batch.Messages.Count, failed.Values.First().Error);
        }

        foreach (var eventId in parked)
        {
            metrics.Parked(batch.Messages.First(m => m.EventId == eventId).Topic);
            LogParked(logger, eventId, _options.MaxRejections, failed[eventId].Error);
        }

        return published.Count;
    }

    private async Task<(OutboxMessage Message, OutboxFailure? Error, DateTimeOffset AckedAt)> PublishAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var parent = ActivityContext.TryParse(message.TraceParent, message.TraceState, out var stored) ? stored : default;
        var key = message.AggregateId.ToString();
        using var activity = KafkaTracing.StartProduce(message.Topic, key, parent);
        var headers = new Headers
        {
            { EventHeaders.EventType, Encoding.UTF8.GetBytes(message.EventType) },
            { EventHeaders.EventId, Encoding.UTF8.GetBytes(message.EventId.ToString()) },
        };
        KafkaTracing.InjectTraceContext(headers, activity?.Context ?? parent);
        try
        {
            var result = await producer.ProduceAsync(message.Topic,
                new Message<string, byte[]> { Key = key, Value = Encoding.UTF8.GetBytes(message.Payload), Headers = headers },
                cancellationToken);
            activity?.SetTag("messaging.kafka.offset", result.Offset.Value);
            activity?.SetTag("messaging.destination.partition.id", result.Partition.Value.ToString(CultureInfo.InvariantCulture));
            return (message, null, clock.GetUtcNow());
        }
        catch (ProduceException<string, byte[]> ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Error.Reason);
            return (message, new OutboxFailure($"{ex.Error.Code}: {ex.Error.Reason}", Refusals.Contains(ex.Error.Code)), clock.GetUtcNow());
        }
    }

    /// <summary>Refreshes the backlog gauges when due.</summary>
    private async Task MaintainAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now >= _nextBacklog)
        {
            metrics.Observed(await outbox.BacklogAsync(cancellationToken));
            _nextBacklog = now + _options.BacklogInterval;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox relay disabled by configuration.")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay round failed; retrying.")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Failed} of {Total} outbox messages were not acknowledged (first error: {Error}); they stay unpublished and are retried.")]
    private static partial void LogPublishFailed(ILogger logger, int failed, int total, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {EventId} was refused {Rejections} times and is parked ({Error}); SELECT outbox_redrive() puts it back once the cause is fixed.")]
    private static partial void LogParked(ILogger logger, Guid eventId, int rejections, string error);
}
