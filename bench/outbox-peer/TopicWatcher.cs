using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;

namespace Go1.Bench.OutboxPeer;

/// <summary>
/// Reads a topic from its start and times each event from its commit (<see cref="Stamp"/>) to its arrival; an event is
/// known by the <c>id</c> property of its JSON value (any case). Redeliveries count once.
/// </summary>
public sealed class TopicWatcher : IDisposable
{
    private readonly ConcurrentDictionary<Guid, long> _stamps = new();
    private readonly ConcurrentDictionary<Guid, byte> _seen = new();
    private readonly List<double> _latencies = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly IConsumer<Ignore, byte[]> _consumer;
    private readonly Stopwatch _clock = new();
    private long _lastSeenTicks;

    public TopicWatcher(string bootstrapServers, string topic)
    {
        _consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "watch-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            FetchWaitMaxMs = 5,
        }).Build();
        _consumer.Subscribe(topic);
        _thread = new Thread(Consume) { IsBackground = true, Name = "watch " + topic };
        _thread.Start();
    }

    public int Count => _seen.Count;

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>When the last new event arrived, on the clock <see cref="StartClock"/> started.</summary>
    public TimeSpan LastSeenAt => TimeSpan.FromTicks(Interlocked.Read(ref _lastSeenTicks));

    /// <summary>Waits until the consumer has its partitions, so that joining the group is not counted as latency.</summary>
    public async Task AssignedAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (_consumer.Assignment.Count == 0)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("The watcher got no partitions within 30 s.");
            }

            await Task.Delay(20);
        }
    }

    public void StartClock() => _clock.Restart();

    public void Stamp(Guid id) => _stamps[id] = Stopwatch.GetTimestamp();

    public async Task<bool> WaitForAsync(int count, TimeSpan limit, bool throwOnTimeout = true)
    {
        var waited = Stopwatch.StartNew();
        while (Count < count)
        {
            if (waited.Elapsed > limit)
            {
                return throwOnTimeout ? throw new TimeoutException($"{Count:N0} of {count:N0} events on the topic after {limit.TotalSeconds:F0} s.") : false;
            }

            await Task.Delay(10);
        }

        return true;
    }

    /// <summary>The commit → topic latencies seen so far, in milliseconds, sorted.</summary>
    public List<double> Latencies()
    {
        lock (_latencies)
        {
            return [.. _latencies.Order()];
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _consumer.Close();
        _consumer.Dispose();
        _stop.Dispose();
    }

    private void Consume()
    {
        while (!_stop.IsCancellationRequested)
        {
            ConsumeResult<Ignore, byte[]>? result;
            try
            {
                result = _consumer.Consume(TimeSpan.FromMilliseconds(100));
            }
            catch (ConsumeException)
            {
                continue; // e.g. the topic's leader moving; the consumer recovers by itself.
            }

            if (result?.Message?.Value is not { } value || IdOf(value) is not { } id || !_seen.TryAdd(id, 0))
            {
                continue;
            }

            var now = Stopwatch.GetTimestamp();
            Interlocked.Exchange(ref _lastSeenTicks, _clock.Elapsed.Ticks);
            if (_stamps.TryRemove(id, out var stamped))
            {
                lock (_latencies)
                {
                    _latencies.Add(Stopwatch.GetElapsedTime(stamped, now).TotalMilliseconds);
                }
            }
        }
    }

    private static Guid? IdOf(byte[] value)
    {
        using var document = JsonDocument.Parse(value);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.NameEquals("id") || property.NameEquals("Id"))
            {
                return property.Value.GetGuid();
            }
        }

        return null;
    }
}
