using Go1.OrderApi.Outbox;

namespace Go1.Tests.Messaging;

/// <summary>The relay's rounds against a fake outbox port: what a failing database does to the loop itself.</summary>
public sealed class OutboxRelayRoundTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Claims_that_fail_as_an_unreachable_database_does_are_retried_and_the_relay_keeps_claiming()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = "127.0.0.1:1" })
            .SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();
        var outbox = new FailingOutbox(failures: 3);
        var options = Options.Create(new OutboxRelayOptions { RetryDelay = TimeSpan.FromMilliseconds(10) });
        using var relay = new OutboxRelay(outbox, producer, options, new OutboxMetrics(services.GetRequiredService<IMeterFactory>()), TimeProvider.System,
            NullLogger<OutboxRelay>.Instance);

        await relay.StartAsync(Ct);
        await Eventually.HoldsAsync(() => outbox.Claims >= 6, TimeSpan.FromSeconds(10), "claims go on after three failed ones");
        await relay.StopAsync(Ct);
    }

    /// <summary>Its first claims fail as an unreachable database does; later ones find nothing to send.</summary>
    private sealed class FailingOutbox(int failures) : IOutbox
    {
        private int _claims;

        public int Claims => Volatile.Read(ref _claims);

        public Task<IOutboxBatch> ClaimAsync(int max, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _claims) <= failures
                ? Task.FromException<IOutboxBatch>(new TimeoutException("The database did not answer."))
                : Task.FromResult<IOutboxBatch>(new EmptyBatch());

        public Task WaitForMessagesAsync(TimeSpan timeout, CancellationToken cancellationToken) => Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);

        public Task<OutboxBacklog> BacklogAsync(CancellationToken cancellationToken) => Task.FromResult(new OutboxBacklog(0, TimeSpan.Zero));
    }

    private sealed class EmptyBatch : IOutboxBatch
    {
        public IReadOnlyList<OutboxMessage> Messages => [];

        public Task<IReadOnlyList<Guid>> CompleteAsync(IReadOnlyCollection<Guid> published, IReadOnlyDictionary<Guid, OutboxFailure> failed, int maxRejections,
            CancellationToken cancellationToken) => throw new InvalidOperationException("An empty batch is never completed.");

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
