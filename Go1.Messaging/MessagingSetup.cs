using Confluent.Kafka;
using Go1.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Go1.Messaging;

public static class MessagingSetup
{
    /// <summary>
    /// Kafka clients (connection <c>kafka</c>; consumer groups named <paramref name="groupId"/>.{topic}),
    /// retry policies, and one hosted <see cref="TopicConsumer"/> per handler type. Register an
    /// <see cref="IDependencyOutageDetector"/> for the outages the handlers can meet.
    /// </summary>
    public static IHostApplicationBuilder AddTopicConsumers(this IHostApplicationBuilder builder, string groupId, params Type[] handlerTypes)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddKafkaConsumer<string, byte[]>(ConnectionNames.Kafka, settings => settings.Config.GroupId ??= groupId);
        builder.AddKafkaProducer<string, byte[]>(ConnectionNames.Kafka, settings =>
        {
            settings.Config.EnableIdempotence ??= true;
            settings.Config.Acks ??= Acks.All;
        });
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ConsumerMetrics>();
        builder.Services.TryAddSingleton<ConsumerHealth>();
        builder.Services.AddHealthChecks().Add(new("topic-consumers", sp => sp.GetRequiredService<ConsumerHealth>(), failureStatus: null, tags: ["ready"]));
        // Messaging:Defaults, then per-topic overrides from Messaging:Topics:{topic} (options named by topic).
        builder.Services.AddSingleton<IConfigureOptions<TopicConsumerOptions>>(new TopicOverrides(builder.Configuration));
        builder.Services.AddOptions<TopicConsumerOptions>().ValidateDataAnnotations().ValidateOnStart();
        foreach (var handlerType in handlerTypes)
        {
            builder.Services.TryAddSingleton(handlerType);
            builder.Services.AddSingleton<IHostedService>(sp =>
            {
                var handler = (IMessageHandler)sp.GetRequiredService(handlerType);
                return ActivatorUtilities.CreateInstance<TopicConsumer>(sp, handler);
            });
        }
        return builder;
    }

    private sealed class TopicOverrides(IConfiguration configuration) : IConfigureNamedOptions<TopicConsumerOptions>
    {
        public void Configure(string? name, TopicConsumerOptions options)
        {
            configuration.GetSection(TopicConsumerOptions.DefaultsSection).Bind(options);
            if (!string.IsNullOrEmpty(name))
            {
                configuration.GetSection($"{TopicConsumerOptions.TopicsSection}:{name}").Bind(options);
            }
        }

        public void Configure(TopicConsumerOptions options) => Configure(Options.DefaultName, options);
    }
}
