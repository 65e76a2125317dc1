using Go1.Kafka;
using Microsoft.Extensions.Hosting;

namespace Go1.Tests.ServiceDefaults;

/// <summary>Our Kafka client integration against a real Kafka protocol peer (librdkafka's mock cluster).</summary>
public sealed class KafkaClientIntegrationTests(KafkaMockCluster kafka)
{
    [Fact]
    public async Task Producer_without_bootstrap_servers_fails_at_start_with_a_clear_message()
    {
        var builder = TestHost.Builder();
        builder.AddKafkaProducer<string, string>("kafka");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("ConnectionStrings:kafka", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consumer_without_group_id_fails_at_start_with_a_clear_message()
    {
        var builder = TestHost.Builder(("ConnectionStrings:kafka", kafka.BootstrapServers));
        builder.AddKafkaConsumer<string, string>("kafka");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("GroupId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_bind_from_aspire_section_and_connection_string_wins_for_bootstrap_servers()
    {
        var builder = TestHost.Builder(
            ("ConnectionStrings:kafka", kafka.BootstrapServers),
            ("Aspire:Confluent:Kafka:Producer:Config:BootstrapServers", "ignored:1"),
            ("Aspire:Confluent:Kafka:Producer:Config:Acks", "All"),
            ("Aspire:Confluent:Kafka:Producer:Config:LingerMs", "7"));
        builder.AddKafkaProducer<string, string>("kafka");
        using var host = builder.Build();

        var settings = host.Services.GetRequiredService<IOptionsMonitor<KafkaProducerSettings>>().Get("kafka");
        Assert.Equal(kafka.BootstrapServers, settings.Config.BootstrapServers);
        Assert.Equal(Acks.All, settings.Config.Acks);
        Assert.Equal(7, settings.Config.LingerMs);
    }

    [Fact]
    public async Task Health_check_is_healthy_against_a_live_cluster()
    {
        var builder = TestHost.Builder(("ConnectionStrings:kafka", kafka.BootstrapServers));
        builder.AddKafkaProducer<string, string>("kafka");
        builder.AddKafkaConsumer<string, string>("kafka", s => s.Config.GroupId = "health");
        using var host = builder.Build();

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

        // Named as Aspire.Confluent.Kafka names its checks: one for the producer, one for the consumer.
        Assert.Equal(["Aspire.Confluent.Kafka.Consumer", "Aspire.Confluent.Kafka.Producer"], report.Entries.Keys.Order());
        Assert.All(report.Entries.Values, e => Assert.Equal(HealthStatus.Healthy, e.Status));
    }

    [Fact]
    public async Task A_second_connection_gets_its_own_check_named_after_it()
    {
        var builder = TestHost.Builder(("ConnectionStrings:kafka", kafka.BootstrapServers), ("ConnectionStrings:other", kafka.BootstrapServers));
        builder.AddKafkaProducer<string, string>("kafka");
        builder.AddKafkaProducer<string, byte[]>("kafka");
        builder.AddKafkaProducer<string, string>("other");
        using var host = builder.Build();

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["Aspire.Confluent.Kafka.Producer", "Aspire.Confluent.Kafka.Producer_other"], report.Entries.Keys.Order());
    }

    [Fact]
    public async Task Health_check_is_unhealthy_when_nothing_listens()
    {
        var builder = TestHost.Builder(("ConnectionStrings:kafka", $"127.0.0.1:{FreePort.Next()}"));
        builder.AddKafkaProducer<string, string>("kafka");
        using var host = builder.Build();

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
    }

    [Fact]
    public async Task Trace_context_travels_from_producer_span_to_consumer_span_through_headers()
    {
        var topic = $"trace-{Guid.NewGuid():N}";
        var builder = TestHost.Builder(("ConnectionStrings:kafka", kafka.BootstrapServers));
        builder.AddKafkaProducer<string, string>("kafka");
        builder.AddKafkaConsumer<string, string>("kafka", s =>
        {
            s.Config.GroupId = topic;
            s.Config.AutoOffsetReset = AutoOffsetReset.Earliest;
        });
        builder.ConfigureOpenTelemetry();
        using var host = builder.Build();
        // Building the tracer provider installs the W3C propagators, as every service's start does: without it (this
        // test alone in a process) trace context has nothing to travel in.
        _ = host.Services.GetRequiredService<OpenTelemetry.Trace.TracerProvider>();
        var producer = host.Services.GetRequiredService<IProducer<string, string>>();
        using var consumer = host.Services.GetRequiredService<KafkaConsumerFactory<string, string>>().Create();
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == KafkaTracing.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Add,
        };
        ActivitySource.AddActivityListener(listener);

        ActivityTraceId producedTrace;
        using (var produce = KafkaTracing.StartProduce(topic, "order-1"))
        {
            Assert.NotNull(produce);
            producedTrace = produce.TraceId;
            var message = new Message<string, string> { Key = "order-1", Value = "{}", Headers = [] };
            KafkaTracing.InjectTraceContext(message.Headers);
            await producer.ProduceAsync(topic, message, TestContext.Current.CancellationToken);
        }

        consumer.Subscribe(topic);
        var result = consumer.Consume(TimeSpan.FromSeconds(30));
        Assert.NotNull(result);
        using (var process = KafkaTracing.StartProcess(result, topic))
        {
            Assert.NotNull(process);
            Assert.Equal(producedTrace, process.TraceId);
            Assert.Equal(ActivityKind.Consumer, process.Kind);
        }

        consumer.Close();
        Assert.Equal(2, activities.Count(a => a.TraceId == producedTrace));
    }

    [Fact]
    public void The_admin_client_that_provisions_topics_connects_like_the_consumer_security_included()
    {
        var builder = TestHost.Builder(
            ("ConnectionStrings:kafka", kafka.BootstrapServers),
            ("Aspire:Confluent:Kafka:Consumer:Config:GroupId", "go1-orderworker"),
            ("Aspire:Confluent:Kafka:Consumer:Config:SecurityProtocol", "SaslSsl"),
            ("Aspire:Confluent:Kafka:Consumer:Config:SaslMechanism", "ScramSha512"),
            ("Aspire:Confluent:Kafka:Consumer:Config:SaslUsername", "go1"),
            ("Aspire:Confluent:Kafka:Consumer:Config:SaslPassword", "from-a-secret-store"),
            ("Aspire:Confluent:Kafka:Consumer:Config:SslCaLocation", "/etc/ssl/ca.pem"));
        builder.AddKafkaConsumer<string, byte[]>("kafka");
        using var host = builder.Build();

        var admin = host.Services.GetRequiredService<KafkaConsumerFactory<string, byte[]>>().AdminConfig();

        Assert.Equal(kafka.BootstrapServers, admin.BootstrapServers);
        Assert.Equal((SecurityProtocol.SaslSsl, SaslMechanism.ScramSha512, "go1", "from-a-secret-store", "/etc/ssl/ca.pem"),
            (admin.SecurityProtocol, admin.SaslMechanism, admin.SaslUsername, admin.SaslPassword, admin.SslCaLocation));
        Assert.Null(admin.Get("group.id")); // consumer-only: an admin client would only warn about it
    }
}
