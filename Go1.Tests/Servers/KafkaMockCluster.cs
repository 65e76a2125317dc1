using System.Runtime.InteropServices;

namespace Go1.Tests.Servers;

/// <summary>
/// A real Kafka wire-protocol peer for tests: librdkafka's own mock cluster (3 brokers on loopback
/// TCP ports), started in the test process through the native library that Confluent.Kafka ships.
/// <c>GO1_TEST_KAFKA</c> (bootstrap servers) points the tests at a real cluster instead; fault
/// injection is then unavailable. Tests isolate themselves by topic and group names.
/// </summary>
public sealed partial class KafkaMockCluster : IAsyncDisposable
{
    private IntPtr _client;
    private IntPtr _cluster;

    public string BootstrapServers { get; private set; } = string.Empty;

    public bool IsMock => _cluster != IntPtr.Zero;

    public ValueTask InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("GO1_TEST_KAFKA") is { Length: > 0 } external)
        {
            BootstrapServers = external;
            return ValueTask.CompletedTask;
        }

        var errors = new byte[512];
        _client = Native.rd_kafka_new(0 /* producer */, Native.rd_kafka_conf_new(), errors, (UIntPtr)errors.Length);
        if (_client == IntPtr.Zero)
        {
            throw new InvalidOperationException($"rd_kafka_new failed: {Encoding.UTF8.GetString(errors).TrimEnd('\0')}");
        }

        _cluster = Native.rd_kafka_mock_cluster_new(_client, 3);
        if (_cluster == IntPtr.Zero)
        {
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed.");
        }

        // The default 3 s wait before the first group assignment only slows tests down.
        Native.rd_kafka_mock_group_initial_rebalance_delay_ms(_cluster, 100);
        BootstrapServers = Marshal.PtrToStringUTF8(Native.rd_kafka_mock_cluster_bootstraps(_cluster))!;
        return ValueTask.CompletedTask;
    }

    /// <summary>Creates a topic with an explicit partition count (Admin CreateTopics is not served by the mock); an existing topic is left as it is.</summary>
    public void CreateTopic(string topic, int partitions = 1)
    {
        RequireMock();
        const int topicAlreadyExists = 36;
        var error = Native.rd_kafka_mock_topic_create(_cluster, topic, partitions, 1);
        Check(error == topicAlreadyExists ? 0 : error, $"create topic {topic}");
    }

    /// <summary>A topic the consume loop reads, with the <c>.retry</c> it also reads and the <c>.dlq</c> it writes.</summary>
    public void CreateConsumedTopic(string topic, int partitions = 1, int retryPartitions = 1)
    {
        CreateTopic(topic, partitions);
        CreateTopic(topic + ".retry", retryPartitions);
        CreateTopic(topic + ".dlq");
    }

    public void SetBrokerDown(int brokerId)
    {
        RequireMock();
        Check(Native.rd_kafka_mock_broker_set_down(_cluster, brokerId), $"take broker {brokerId} down");
    }

    public void SetBrokerUp(int brokerId)
    {
        RequireMock();
        Check(Native.rd_kafka_mock_broker_set_up(_cluster, brokerId), $"bring broker {brokerId} up");
    }

    /// <summary>The next <paramref name="errors"/>.Length requests of <paramref name="apiKey"/> fail with these codes.</summary>
    public void PushRequestErrors(short apiKey, params int[] errors)
    {
        RequireMock();
        Native.rd_kafka_mock_push_request_errors_array(_cluster, apiKey, (UIntPtr)errors.Length, errors);
    }

    public ValueTask DisposeAsync()
    {
        if (_cluster != IntPtr.Zero)
        {
            Native.rd_kafka_mock_cluster_destroy(_cluster);
            _cluster = IntPtr.Zero;
        }

        if (_client != IntPtr.Zero)
        {
            Native.rd_kafka_destroy(_client);
            _client = IntPtr.Zero;
        }

        return ValueTask.CompletedTask;
    }

    private void RequireMock()
    {
        if (!IsMock)
        {
            throw new InvalidOperationException("Fault injection needs librdkafka's mock cluster; GO1_TEST_KAFKA points at a real cluster.");
        }
    }

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"librdkafka mock: {what} failed with error code {error}.");
        }
    }

    private static class Native
    {
        private const string Library = "librdkafka";

        static Native()
        {
            // Confluent.Kafka picks the librdkafka build that loads on this OS (on Debian 12 not the default
            // one, which needs libsasl2.so.3). Bind our imports to the very file it loaded.
            Confluent.Kafka.Library.Load();
            var loaded = File.ReadLines("/proc/self/maps")
                .Select(line => line[(line.IndexOf('/', StringComparison.Ordinal) is var i and >= 0 ? i : line.Length)..])
                .FirstOrDefault(path => Path.GetFileName(path).Contains("librdkafka", StringComparison.Ordinal));
            NativeLibrary.SetDllImportResolver(typeof(Native).Assembly, (name, _, _) =>
                name == Library && loaded is not null ? NativeLibrary.Load(loaded) : IntPtr.Zero);
        }

        [DllImport(Library)] public static extern IntPtr rd_kafka_conf_new();
        [DllImport(Library)] public static extern IntPtr rd_kafka_new(int type, IntPtr conf, byte[] errstr, UIntPtr errstrSize);
        [DllImport(Library)] public static extern void rd_kafka_destroy(IntPtr rk);
        [DllImport(Library)] public static extern IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokers);
        [DllImport(Library)] public static extern void rd_kafka_mock_cluster_destroy(IntPtr cluster);
        [DllImport(Library)] public static extern IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);
        [DllImport(Library)] public static extern int rd_kafka_mock_topic_create(IntPtr cluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partitions, int replicationFactor);
        [DllImport(Library)] public static extern int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);
        [DllImport(Library)] public static extern int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);
        [DllImport(Library)] public static extern void rd_kafka_mock_push_request_errors_array(IntPtr cluster, short apiKey, UIntPtr count, int[] errors);
        [DllImport(Library)] public static extern void rd_kafka_mock_group_initial_rebalance_delay_ms(IntPtr cluster, int delayMs);
    }
}
