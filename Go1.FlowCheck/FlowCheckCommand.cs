using System.Globalization;
using Confluent.Kafka;

namespace Go1.FlowCheck;

/// <summary>
/// <c>Go1.FlowCheck [--api URL] [--kafka HOST:PORT] [--payment-method card|wallet|cash] [--service ID] [--timeout SECONDS]
/// [--user ID] [--gateway-secret SECRET]</c>: drives one order through a running system. Exit code 0: it completed;
/// 1: a step failed; 2: bad arguments.
/// </summary>
public static class FlowCheckCommand
{
    public const string Usage = "usage: Go1.FlowCheck [--api URL] [--kafka HOST:PORT] [--payment-method card|wallet|cash] [--service ID] [--timeout SECONDS] [--user ID] [--gateway-secret SECRET]";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (Parse(args, error) is not { } settings)
        {
            return 2;
        }

        using var api = new HttpClient { BaseAddress = new Uri(settings["api"]), Timeout = TimeSpan.FromSeconds(10) };
        var user = settings.GetValueOrDefault("user");
        if (user is not null)
        {
            // An API in GatewayHeaders mode: call as a rider. (Bypass mode, what the AppHost runs, needs no headers.)
            api.DefaultRequestHeaders.Add("X-User-Id", user);
            api.DefaultRequestHeaders.Add("X-User-Audience", "user_app");
            if ((settings.GetValueOrDefault("gateway-secret") ?? Environment.GetEnvironmentVariable("GO1_GATEWAY_SECRET")) is { Length: > 0 } secret)
            {
                api.DefaultRequestHeaders.Add("X-Gateway-Secret", secret);
            }
        }

        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = settings["kafka"],
            EnableIdempotence = true,
            MessageTimeoutMs = 10_000,
        }).SetLogHandler((_, _) => { }).Build();

        var options = new FlowOptions
        {
            PaymentMethod = settings["payment-method"],
            ServiceId = settings["service"],
            CustomerId = user ?? "flow-customer",
            StepTimeout = TimeSpan.FromSeconds(int.Parse(settings["timeout"], CultureInfo.InvariantCulture)),
        };
        await output.WriteLineAsync($"Go1 flow check against {api.BaseAddress} and Kafka {settings["kafka"]}");
        return await new OrderFlow(api, producer, output, options).RunAsync(cancellationToken);
    }

    /// <summary>The settings, defaults first (<c>GO1_API_URL</c>, <c>GO1_KAFKA</c>); null, with the reason written, when the arguments are wrong.</summary>
    public static Dictionary<string, string>? Parse(string[] args, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(error);
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["api"] = Environment.GetEnvironmentVariable("GO1_API_URL") ?? "http://localhost:5180",
            ["kafka"] = Environment.GetEnvironmentVariable("GO1_KAFKA") ?? "localhost:9092",
            ["payment-method"] = "card",
            ["service"] = "taxi",
            ["timeout"] = "30",
        };
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length || args[i] is "--help")
            {
                error.WriteLine(Usage);
                return null;
            }

            settings[args[i][2..]] = args[++i];
        }

        if (!int.TryParse(settings["timeout"], NumberStyles.None, CultureInfo.InvariantCulture, out var timeout) || timeout <= 0)
        {
            error.WriteLine($"--timeout must be a positive number of seconds, not '{settings["timeout"]}'.");
            return null;
        }

        return settings;
    }
}
