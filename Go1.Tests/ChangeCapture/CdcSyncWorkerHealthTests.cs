using Go1.CdcSync;
using CdcSyncOptions = Go1.CdcSync.CdcSyncOptions;
using CdcSyncWorker = Go1.CdcSync.CdcSyncWorker;

namespace Go1.Tests.ChangeCapture;

/// <summary>CdcSync is ready only once its source streams: connecting or projecting a snapshot is Degraded.</summary>
public sealed class CdcSyncWorkerHealthTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Connects (and would project its snapshot) until <see cref="Connected"/> is released, then streams nothing until cancelled.</summary>
    private sealed class GatedSource : IOrderChangeSource
    {
        public TaskCompletionSource Connected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes once the worker has called <see cref="RunAsync"/>: it is connecting.</summary>
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "gated";

        public async Task RunAsync(Func<IReadOnlyList<OrderChange>, CancellationToken, Task> apply, Action streaming, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Connected.Task.WaitAsync(cancellationToken);
            streaming();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }

    private sealed class NoCache : IOrderCache
    {
        public Task<OrderDocument?> GetAsync(Guid orderId, CancellationToken cancellationToken) => Task.FromResult<OrderDocument?>(null);

        public Task<bool> SetIfNewerAsync(OrderDocument order, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<bool> DeleteAsync(Guid orderId, long version, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<bool[]> WriteAllAsync(IReadOnlyList<OrderCacheWrite> writes, CancellationToken cancellationToken) =>
            Task.FromResult(writes.Select(_ => true).ToArray());
    }

    [Fact]
    public async Task Degraded_while_the_source_connects_and_healthy_once_it_streams()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var source = new GatedSource();
        var projector = new OrderCacheProjector(new NoCache(), TimeProvider.System, services.GetRequiredService<IMeterFactory>());
        using var worker = new CdcSyncWorker(source, projector, Options.Create(new CdcSyncOptions()), TimeProvider.System, NullLogger<CdcSyncWorker>.Instance);
        await worker.StartAsync(Ct);
        try
        {
            await source.Entered.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct); // a fixed 100 ms delay was too short on a loaded machine
            var connecting = await worker.CheckHealthAsync(new HealthCheckContext(), Ct);
            Assert.Equal(HealthStatus.Degraded, connecting.Status);
            Assert.Contains("connecting", connecting.Description, StringComparison.Ordinal);

            source.Connected.SetResult();
            await Eventually.HoldsAsync(
                async () => (await worker.CheckHealthAsync(new HealthCheckContext(), Ct)).Status == HealthStatus.Healthy,
                TimeSpan.FromSeconds(5), "healthy once the source streams");
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Call n fails; when <c>streamsFirst[n]</c> it streams before failing. Calls past the script stream until cancelled.</summary>
    private sealed class ScriptedSource(params bool[] streamsFirst) : IOrderChangeSource
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public string Name => "scripted";

        public Task RunAsync(Func<IReadOnlyList<OrderChange>, CancellationToken, Task> apply, Action streaming, CancellationToken cancellationToken)
        {
            var call = Interlocked.Increment(ref _calls) - 1;
            if (call >= streamsFirst.Length)
            {
                streaming();
                return Task.Delay(Timeout.Infinite, cancellationToken);
            }

            if (streamsFirst[call])
            {
                streaming();
            }

            throw new InvalidOperationException($"source broke (call {call + 1})");
        }
    }

    [Fact]
    public async Task A_source_that_keeps_breaking_waits_longer_each_time_and_from_the_first_wait_again_after_it_streamed()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var source = new ScriptedSource(false, false, false, true);
        var projector = new OrderCacheProjector(new NoCache(), clock, services.GetRequiredService<IMeterFactory>());
        var options = new CdcSyncOptions { RetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(30) };
        using var worker = new CdcSyncWorker(source, projector, Options.Create(options), clock, NullLogger<CdcSyncWorker>.Instance);

        async Task WaitsAsync(TimeSpan wait, int thenCall)
        {
            await Task.Delay(200, Ct); // the worker has set its timer for the wait
            clock.Advance(wait - TimeSpan.FromMilliseconds(1));
            await Task.Delay(200, Ct);
            Assert.Equal(thenCall - 1, source.Calls);
            clock.Advance(TimeSpan.FromMilliseconds(1));
            await Eventually.HoldsAsync(() => source.Calls == thenCall, TimeSpan.FromSeconds(5), $"call {thenCall} after {wait}");
        }

        await worker.StartAsync(Ct);
        try
        {
            await Eventually.HoldsAsync(() => source.Calls == 1, TimeSpan.FromSeconds(5), "the first connect");
            await WaitsAsync(TimeSpan.FromSeconds(1), thenCall: 2);
            await WaitsAsync(TimeSpan.FromSeconds(2), thenCall: 3);
            await WaitsAsync(TimeSpan.FromSeconds(4), thenCall: 4); // streams, then breaks
            await WaitsAsync(TimeSpan.FromSeconds(1), thenCall: 5); // not 8 s: it had streamed
            await Eventually.HoldsAsync(
                async () => (await worker.CheckHealthAsync(new HealthCheckContext(), Ct)).Status == HealthStatus.Healthy,
                TimeSpan.FromSeconds(5), "healthy once it streams again");
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }
}
