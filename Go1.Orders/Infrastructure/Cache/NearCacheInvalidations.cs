using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Go1.Orders.Infrastructure.Cache;

/// <summary>
/// Keeps a <see cref="NearCache"/> in step with Redis. It subscribes to <see cref="RedisOrderCache.ChangesChannel"/>
/// and evicts every order id announced there. Redis pub/sub drops messages while a connection is down, so any
/// connection failure suspends the near cache, and it resumes only when a probe published after the failure
/// has come back through the subscription: from then on no invalidation can be missed.
/// </summary>
public sealed partial class NearCacheInvalidations(IConnectionMultiplexer redis, NearCache near, ILogger<NearCacheInvalidations> logger) : BackgroundService
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);
    private readonly string _probePrefix = $"probe:{Guid.NewGuid():N}:";
    private long _probe; // the probe that may resume the near cache; every failure moves it on

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        redis.ConnectionFailed += OnConnectionFailed;
        try
        {
            var subscriber = redis.GetSubscriber();
            var subscribed = false;
            using var timer = new PeriodicTimer(ProbeInterval);
            do
            {
                try
                {
                    if (!subscribed)
                    {
                        await subscriber.SubscribeAsync(RedisOrderCache.ChangesChannel, OnMessage);
                        subscribed = true;
                    }

                    if (!near.IsLive)
                    {
                        await subscriber.PublishAsync(RedisOrderCache.ChangesChannel, Probe(Interlocked.Read(ref _probe)));
                    }
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    LogProbeFailed(logger, ex.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            redis.ConnectionFailed -= OnConnectionFailed;
            near.Suspend();
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        var text = message.ToString();
        if (Guid.TryParse(text, out var orderId))
        {
            near.Invalidate(orderId);
            return;
        }

        var probe = Interlocked.Read(ref _probe);
        if (text == Probe(probe) && !near.IsLive)
        {
            near.Resume();
            // A failure between the comparison and Resume would otherwise be overtaken by it.
            if (Interlocked.Read(ref _probe) != probe)
            {
                near.Suspend();
                return;
            }

            LogResumed(logger);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        Interlocked.Increment(ref _probe); // before Suspend: see OnMessage
        var wasLive = near.IsLive;
        near.Suspend();
        if (wasLive)
        {
            LogSuspended(logger, e.ConnectionType, e.FailureType);
        }
    }

    private string Probe(long number) => _probePrefix + number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Near cache suspended: the Redis {ConnectionType} connection failed ({FailureType}); reads go to Redis until invalidations flow again.")]
    private static partial void LogSuspended(ILogger logger, ConnectionType connectionType, ConnectionFailureType failureType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Near cache live: invalidations arrive through the subscription.")]
    private static partial void LogResumed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Near cache probe failed: {Reason}")]
    private static partial void LogProbeFailed(ILogger logger, string reason);
}
