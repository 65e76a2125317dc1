using Go1.ServiceDefaults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Go1.Tests.ServiceDefaults;

public sealed class PeriodicSweepTests
{
    private sealed class Sweep(TimeProvider clock, ILogger logger, Func<int, Task> body) : PeriodicSweep(TimeSpan.FromMinutes(1), clock, logger)
    {
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        protected override string Name => "test";

        protected override Task SweepOnceAsync(CancellationToken cancellationToken) => body(Interlocked.Increment(ref _runs));
    }

    [Fact]
    public async Task A_failed_sweep_is_logged_and_the_next_interval_sweeps_again_until_the_host_stops()
    {
        var clock = new FakeTimeProvider();
        var logger = new FakeLogger();
        using var sweep = new Sweep(clock, logger, run => run == 1 ? throw new TimeoutException("database down") : Task.CompletedTask);

        await sweep.StartAsync(TestContext.Current.CancellationToken);
        await Eventually.HoldsAsync(() => sweep.Runs == 1 && logger.Collector.Count == 1, TimeSpan.FromSeconds(5), "the first sweep failed and was logged");
        Assert.Equal("The test sweep failed; the next one tries again.", logger.LatestRecord.Message);
        Assert.Equal(LogLevel.Warning, logger.LatestRecord.Level);

        clock.Advance(TimeSpan.FromMinutes(1));
        await Eventually.HoldsAsync(() => sweep.Runs == 2, TimeSpan.FromSeconds(5), "the next interval swept again");

        await sweep.StopAsync(TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromMinutes(5));
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Equal(2, sweep.Runs);
        Assert.Equal(1, logger.Collector.Count);
    }
}
