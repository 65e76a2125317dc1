using Go1.Messaging;
using Go1.Tests.ServiceDefaults;
using Microsoft.Extensions.Hosting;

namespace Go1.Tests.Messaging;

/// <summary>The worker's one consume loop against a real Kafka protocol peer: handled, retried or parked — never dropped or stuck.</summary>
public sealed class TopicConsumerTests(KafkaMockCluster kafka)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Fails the values listed in <see cref="FailuresLeft"/> that many times, then succeeds; records every attempt.</summary>
    private sealed class ScriptedHandler(string topic) : IMessageHandler
    {
        public string Topic => topic;

        public ConcurrentDictionary<string, int> FailuresLeft { get; } = new();

        /// <summary>While set, every message fails with it (a dependency that does not answer).</summary>
        public Exception? Outage { get; set; }

        /// <summary>Values that cannot be handled yet: they fail with <see cref="RetryLaterException"/> of this window.</summary>
        public ConcurrentDictionary<string, TimeSpan> NotYet { get; } = new();

        public ConcurrentQueue<string> Attempts { get; } = new();

        public ConcurrentQueue<string> Handled { get; } = new();

        /// <summary>Handled values with the topic they were read from.</summary>
        public ConcurrentQueue<(string Value, string Topic)> HandledFrom { get; } = new();

        public Task HandleAsync(ConsumeResult<string, byte[]> message, CancellationToken cancellationToken)
        {
            var value = Encoding.UTF8.GetString(message.Message.Value);
            Attempts.Enqueue(value);
            if (value.StartsWith("poison", StringComparison.Ordinal))
            {
                throw new PoisonMessageException("cannot parse " + value);
            }

            if (Outage is { } outage)
            {
                throw outage;
            }

            if (NotYet.TryGetValue(value, out var window))
            {
                throw new RetryLaterException($"{value} is not ready yet", window);
            }

            if (FailuresLeft.TryGetValue(value, out var left) && left > 0)
            {
                FailuresLeft[value] = left - 1;
                throw new InvalidOperationException("transient failure for " + value);
            }

            Handled.Enqueue(value);
            HandledFrom.Enqueue((value, message.Topic));
            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// <see cref="ScriptedHandler"/> that also takes batches: a batch fails as a whole with the first failure of its
    /// messages (before handling any of them, or, with <see cref="FailAfterHandling"/>, after handling all it could).
    /// </summary>
    private sealed class ScriptedBatchHandler(string topic) : IBatchMessageHandler
    {
        public ScriptedHandler Messages { get; } = new(topic);

        public string Topic => topic;

        public int MaxBatch { get; init; } = 256;

        public bool FailAfterHandling { get; init; }

        /// <summary>The values of each batch handed over, in order.</summary>
        public ConcurrentQueue<string[]> Batches { get; } = new();

        public Task HandleAsync(ConsumeResult<string, byte[]> message, CancellationToken cancellationToken) => Messages.HandleAsync(message, cancellationToken);

        public async Task HandleBatchAsync(IReadOnlyList<ConsumeResult<string, byte[]>> messages, CancellationToken cancellationToken)
        {
            Batches.Enqueue([.. messages.Select(m => Encoding.UTF8.GetString(m.Message.Value))]);
            Exception? failure = null;
            foreach (var message in messages)
            {
                try
                {
                    if (failure is null || FailAfterHandling)
                    {
                        await Messages.HandleAsync(message, cancellationToken);
                    }
                }
                catch (Exception ex) when (FailAfterHandling)
                {
                    failure ??= ex;
                }
            }

            if (failure is not null)
            {
                throw failure;
            }
        }
    }

    /// <summary>A started worker; disposing it stops it first, as a real shutdown would.</summary>
    private sealed class Worker(IHost host) : IAsyncDisposable
    {
        public async Task<HealthStatus> HealthAsync() => (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct)).Status;

        public Task StopAsync(CancellationToken cancellationToken) => host.StopAsync(cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
        }
    }

    /// <summary>Takes a <see cref="TimeoutException"/> for a dependency that does not answer, as a service's detector would.</summary>
    private sealed class TimeoutsAreOutages : IDependencyOutageDetector
    {
        public bool IsOutage(Exception exception) => exception is TimeoutException;
    }

    private Worker StartWorker(ScriptedHandler handler, int maxAttempts = 3, string retryBackoff = "00:00:00.300") =>
        StartWorker<ScriptedHandler>(handler, maxAttempts, retryBackoff);

    private Worker StartWorker<THandler>(THandler handler, int maxAttempts = 3, string retryBackoff = "00:00:00.300")
        where THandler : class, IMessageHandler
    {
        var builder = TestHost.Builder(
            ("ConnectionStrings:kafka", kafka.BootstrapServers),
            ("Aspire:Confluent:Kafka:Consumer:Config:FetchWaitMaxMs", "10"),
            // The mock completes a rebalance only once a joining member's first, id-less session expires: keep it short.
            ("Aspire:Confluent:Kafka:Consumer:Config:SessionTimeoutMs", "6000"),
            ("Aspire:Confluent:Kafka:Consumer:Config:HeartbeatIntervalMs", "500"),
            // Commit soon after handling, so a rebalance does not hand back a message already handled.
            ("Aspire:Confluent:Kafka:Consumer:Config:AutoCommitIntervalMs", "100"),
            ("Messaging:Defaults:MaxAttempts", maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Messaging:Defaults:RetryBackoff", retryBackoff),
            ("Messaging:Defaults:OutageBackoff", "00:00:00.100"),
            ("Messaging:Defaults:MaxOutageBackoff", "00:00:00.400"));
        builder.Services.AddSingleton(handler);
        builder.Services.AddSingleton<IDependencyOutageDetector, TimeoutsAreOutages>();
        builder.AddTopicConsumers("go1-orderworker", typeof(THandler));
        var host = builder.Build();
        host.Start();
        return new Worker(host);
    }

    private async Task ProduceAsync(string topic, string key, params string[] values)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, EnableIdempotence = true }).Build();
        foreach (var value in values)
        {
            await producer.ProduceAsync(topic, new Message<string, byte[]> { Key = key, Value = Encoding.UTF8.GetBytes(value) }, Ct);
        }
    }

    /// <summary>Produces <paramref name="values"/> as one request (one message set), so that a consumer fetches them together.</summary>
    private async Task ProduceInOneRequestAsync(string topic, string key, IEnumerable<string> values)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, LingerMs = 200 }).Build();
        var acks = values.Select(value => producer.ProduceAsync(topic, new Message<string, byte[]> { Key = key, Value = Encoding.UTF8.GetBytes(value) }, Ct)).ToList();
        await Task.WhenAll(acks);
    }

    /// <summary>A consumer of <paramref name="topic"/> and its .retry joins <paramref name="group"/>, waits for its share, and leaves.</summary>
    private async Task JoinAndLeaveAsync(string group, string topic)
    {
        var joined = false;
        using var replica = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = group,
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SessionTimeoutMs = 6000,
            HeartbeatIntervalMs = 500,
        }).SetLogHandler((_, _) => { }).SetPartitionsAssignedHandler((_, _) => joined = true).Build();
        replica.Subscribe([topic, topic + ".retry"]);
        await Eventually.HoldsAsync(() =>
        {
            replica.Consume(TimeSpan.FromMilliseconds(100));
            return joined;
        }, TimeSpan.FromSeconds(30), "the rebalance that lets the replica in");
        replica.Close();
    }

    /// <summary>A fresh topic with its .retry and .dlq (the mock serves no admin API to create them).</summary>
    private string NewTopic(int partitions = 1)
    {
        var topic = $"t-{Guid.NewGuid():N}";
        kafka.CreateConsumedTopic(topic, partitions);
        return topic;
    }

    [Fact]
    public async Task A_failing_message_is_parked_after_the_configured_attempts_while_later_messages_are_handled()
    {
        var topic = NewTopic();
        var handler = new ScriptedHandler(topic);
        handler.FailuresLeft["bad"] = int.MaxValue;
        await ProduceAsync(topic, "same-key", "bad", "good-1", "good-2");

        await using var worker = StartWorker(handler);
        await Eventually.HoldsAsync(() => handler.Handled.Count == 2, TimeSpan.FromSeconds(30), "the later messages");
        var parked = TopicReader.ReadUntil(kafka.BootstrapServers, topic + ".dlq", read => read.Count >= 1, TimeSpan.FromSeconds(30));

        Assert.Equal(["good-1", "good-2"], handler.Handled);
        var dead = Assert.Single(parked);
        Assert.Equal("bad", Encoding.UTF8.GetString(dead.Message.Value));
        Assert.Equal("same-key", dead.Message.Key);
        Assert.Equal("3", dead.Header(RetryHeaders.Attempt));
        Assert.Equal(topic, dead.Header(RetryHeaders.OriginalTopic));
        Assert.Contains("transient failure", dead.Header(RetryHeaders.Error), StringComparison.Ordinal);
        Assert.Equal(3, handler.Attempts.Count(a => a == "bad"));
        // The later messages did not wait for the retries of the failing one.
        Assert.True(handler.Attempts.ToList().IndexOf("good-2") < handler.Attempts.ToList().LastIndexOf("bad"));
    }

    [Fact]
    public async Task A_message_failing_once_succeeds_on_retry_after_the_backoff()
    {
        var topic = NewTopic();
        var handler = new ScriptedHandler(topic);
        handler.FailuresLeft["flaky"] = 1;
        await ProduceAsync(topic, "k", "flaky");

        await using var worker = StartWorker(handler);
        await Eventually.HoldsAsync(() => handler.Handled.Contains("flaky"), TimeSpan.FromSeconds(30), "the retried message");

        Assert.Equal(2, handler.Attempts.Count(a => a == "flaky"));
        var retried = Assert.Single(TopicReader.ReadUntil(kafka.BootstrapServers, topic + ".retry", read => read.Count >= 1, TimeSpan.FromSeconds(10)));
        Assert.Equal("1", retried.Header(RetryHeaders.Attempt));
        Assert.Empty(TopicReader.ReadUntil(kafka.BootstrapServers, topic + ".dlq", _ => false, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task An_unparseable_message_goes_straight_to_the_dlq()
    {
        var topic = NewTopic();
        var handler = new ScriptedHandler(topic);
        await ProduceAsync(topic, "k", "poison-1", "fine");

        await using var worker = StartWorker(handler);
        await Eventually.HoldsAsync(() => handler.Handled.Contains("fine"), TimeSpan.FromSeconds(30), "the next message");
        var dead = Assert.Single(TopicReader.ReadUntil(kafka.BootstrapServers, topic + ".dlq", read => read.Count >= 1, TimeSpan.FromSeconds(30)));

        Assert.Equal("1", dead.Header(RetryHeaders.Attempt));
        Assert.Equal(1, handler.Attempts.Count(a => a == "poison-1"));
    }

    [Fact]
    public async Task Stopping_and_restarting_the_worker_handles_every_message_at_least_once()
    {
        var topic = NewTopic(partitions: 3);
        var values = Enumerable.Range(0, 60).Select(i => $"m-{i}").ToArray();
        foreach (var chunk in values.Chunk(20))
        {
            await ProduceAsync(topic, chunk[0], chunk);
        }

        var first = new ScriptedHandler(topic);
        await using (var worker = StartWorker(first))
        {
            await Eventually.HoldsAsync(() => first.Handled.Count >= 10, TimeSpan.FromSeconds(30), "some progress");
            await worker.StopAsync(Ct);
        }

        var second = new ScriptedHandler(topic);
        await using var restarted = StartWorker(second);
        await Eventually.HoldsAsync(() => first.Handled.Concat(second.Handled).ToHashSet().IsSupersetOf(values), TimeSpan.FromSeconds(45), "every message");

        // Committed progress is honoured: the restart does not start from scratch.
        Assert.True(second.Handled.Count < values.Length, $"restart re-handled {second.Handled.Count} of {values.Length}");
    }

    [Fact]
    public async Task A_dependency_outage_holds_the_partition_in_place_and_keeps_per_key_order()
    {
        var topic = NewTopic();
        var handler = new ScriptedHandler(topic) { Outage = new TimeoutException("PostgreSQL does not answer") };
        await ProduceAsync(topic, "order-1", "created", "dispatched", "delivered");

        await using var worker = StartWorker(handler);
        await Eventually.HoldsAsync(() => handler.Attempts.Count >= 4, TimeSpan.FromSeconds(30), "several attempts during the outage");
        var whileDown = await worker.HealthAsync();
        handler.Outage = null;
        await Eventually.HoldsAsync(() => handler.Handled.Count == 3, TimeSpan.FromSeconds(30), "every message once the dependency is back");

        Assert.Equal(["created", "dispatched", "delivered"], handler.Handled);
        // Only the first message was tried while the dependency was down: the others waited behind it.
        Assert.All(handler.Attempts.Take(4), a => Assert.Equal("created", a));
        Assert.Equal(HealthStatus.Degraded, whileDown);
        Assert.Equal(HealthStatus.Healthy, await worker.HealthAsync());
        Assert.Empty(TopicReader.ReadUntil(kafka.BootstrapServers, topic + ".retry", _ => false, TimeSpan.FromSeconds(1)));
        Assert.Empty(TopicReader.ReadUntil(kafka.BootstrapServers, topic + ".dlq", _ => false, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Messages_at_hand_reach_a_batch_handler_together_and_each_is_handled_once()
    {
        var topic = NewTopic(partitions: 3);
        var values = Enumerable.Range(0, 300).Select(i => $"m-{i}").ToArray();
        foreach (var chunk in values.Chunk(30))
        {
            await ProduceAsync(topic, chunk[0], chunk);
        }

        var handler = new ScriptedBatchHandler(topic) { MaxBatch = 100 };
        await using (var worker = StartWorker(handler))
        {
            await Eventually.HoldsAsync(() => handler.Messages.Handled.Count >= values.Length, TimeSpan.FromSeconds(30), "every message");
            await worker.StopAsync(Ct);
        }

        Assert.Equal(values.Order(), handler.Messages.Handled.Order());
        Assert.Contains(handler.Batches, batch => batch.Length > 1);
        Assert.All(handler.Batches, batch => Assert.InRange(batch.Length, 1, 100));

        // The batches' offsets were committed: a restart has nothing left to handle.
        var restarted = new ScriptedBatchHandler(topic);
        await using var again = StartWorker(restarted);
        await ProduceAsync(topic, "k", "after-restart");
        await Eventually.HoldsAsync(() => restarted.Messages.Handled.Contains("after-restart"), TimeSpan.FromSeconds(30), "the new message");
        Assert.Equal(["after-restart"], restarted.Messages.Handled);
    }

    [Fact]
    public async Task A_failed_batch_is_handled_one_by_one_the_unparseable_message_goes_to_the_dlq_and_the_rest_once_more_at_most()
    {
        var values = Enumerable.Range(0, 20).Select(i => $"m-{i}").ToList();
        values.Insert(10, "poison-1");
        // The loop takes what is at hand: now and then the unparseable message is fetched alone, which proves
        // nothing about batches, so the scenario runs again on a fresh topic (a few times at most).
        for (var run = 1; ; run++)
        {
            var topic = NewTopic();
            var handler = new ScriptedBatchHandler(topic) { FailAfterHandling = true };
            await ProduceInOneRequestAsync(topic, "k", values);

            await using var worker = StartWorker(handler);
            var dead = Assert.Single(TopicReader.ReadUntil(kafka.BootstrapServers, topic + ".dlq", read => read.Count >= 1, TimeSpan.FromSeconds(30)));
            await Eventually.HoldsAsync(() => handler.Messages.Handled.Contains("m-19"), TimeSpan.FromSeconds(30), "the messages after it");

            Assert.Equal("poison-1", Encoding.UTF8.GetString(dead.Message.Value));
            var failed = handler.Batches.SingleOrDefault(batch => batch.Contains("poison-1"));
            if (failed is null && run < 5)
            {
                continue;
            }

            Assert.True(failed is { Length: > 1 }, $"the unparseable message came alone in {run} runs");
            // The failed batch's messages were handled in it and once more alone: at least once, at most twice, in order.
            Assert.Equal(values.Where(v => v != "poison-1"), handler.Messages.Handled.Distinct());
            Assert.All(failed.Where(v => v != "poison-1"), v => Assert.Equal(2, handler.Messages.Handled.Count(h => h == v)));
            Assert.Equal(2, handler.Messages.Attempts.Count(a => a == "poison-1")); // once in the batch, once alone
            return;
        }
    }

    [Fact]
    public async Task A_dependency_outage_during_a_batch_holds_the_partition_at_its_first_message_and_keeps_per_key_order()
    {
        var topic = NewTopic();
        var handler = new ScriptedBatchHandler(topic);
        handler.Messages.Outage = new TimeoutException("Redis does not answer");
        await ProduceAsync(topic, "order-1", "created", "dispatched", "delivered");

        await using var worker = StartWorker(handler);
        await Eventually.HoldsAsync(() => handler.Messages.Attempts.Count >= 4, TimeSpan.FromSeconds(30), "several attempts during the outage");
        var whileDown = await worker.HealthAsync();
        handler.Messages.Outage = null;
        await Eventually.HoldsAsync(() => handler.Messages.Handled.Count == 3, TimeSpan.FromSeconds(30), "every message once the dependency is back");

        Assert.Equal(["created", "dispatched", "delivered"], handler.Messages.Handled);
        Assert.All(handler.Messages.Attempts.Take(4), a => Assert.Equal("created", a));
        Assert.Equal(HealthStatus.Degraded, whileDown);
        Assert.Empty(TopicReader.ReadUntil(kafka.BootstrapServers, topic + ".retry", _ => false, TimeSpan.FromSeconds(1)));
        Assert.Empty(TopicReader.ReadUntil(kafka.BootstrapServers, topic + ".dlq", _ => false, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_message_that_cannot_be_handled_yet_is_retried_past_the_attempt_limit_for_its_window()
    {
        var topic = NewTopic();
        var handler = new ScriptedHandler(topic);
        handler.NotYet["dispatch-early"] = TimeSpan.FromMinutes(5);
        handler.NotYet["dispatch-never"] = TimeSpan.FromSeconds(2);
        await ProduceAsync(topic, "k", "dispatch-early", "dispatch-never");

        await using var worker = StartWorker(handler, maxAttempts: 2, retryBackoff: "00:00:00.100");
        await Eventually.HoldsAsync(() => handler.Attempts.Count(a => a == "dispatch-early") >= 4, TimeSpan.FromSeconds(30), "retries past the attempt limit");
        handler.NotYet.TryRemove("dispatch-early", out _); // its workflow exists now
        await Eventually.HoldsAsync(() => handler.Handled.Contains("dispatch-early"), TimeSpan.FromSeconds(30), "the retry once it can be handled");
        var parked = Assert.Single(TopicReader.ReadUntil(kafka.BootstrapServers, topic + ".dlq", read => read.Count >= 1, TimeSpan.FromSeconds(30)));

        Assert.Equal("dispatch-never", Encoding.UTF8.GetString(parked.Message.Value));
        Assert.NotEmpty(parked.Header(RetryHeaders.RetryUntil));
        Assert.True(int.Parse(parked.Header(RetryHeaders.Attempt), System.Globalization.CultureInfo.InvariantCulture) > 2);
    }

    [Fact]
    public async Task A_retry_waiting_in_a_paused_partition_is_still_handled_after_a_rebalance()
    {
        var topic = NewTopic();
        var handler = new ScriptedHandler(topic);
        handler.FailuresLeft["flaky"] = 1;
        await ProduceAsync(topic, "k", "flaky");

        await using var worker = StartWorker(handler, retryBackoff: "00:00:04");
        await Eventually.HoldsAsync(() => handler.Attempts.Count == 1, TimeSpan.FromSeconds(30), "the first attempt");
        await Task.Delay(TimeSpan.FromSeconds(1), Ct); // the retry is read and its partition paused until it is due

        // Another replica joins the group and leaves again: the two rebalances hand the paused .retry partition back
        // to the worker (whichever member held it in between), and librdkafka keeps it paused unless told otherwise.
        await JoinAndLeaveAsync($"go1-orderworker.{topic}", topic);

        await Eventually.HoldsAsync(() => handler.Handled.Contains("flaky"), TimeSpan.FromSeconds(30), "the retry after the rebalance");
        // At least once: a rebalance can come between handling and the commit of its offset, and the retry is then
        // handled again. Every handling is of the retry, none of the original.
        Assert.All(handler.HandledFrom, handled => Assert.Equal(("flaky", topic + ".retry"), handled));
    }
}
