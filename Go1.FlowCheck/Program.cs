using System.Globalization;
using Confluent.Kafka;
using Go1.FlowCheck;

// dotnet run --project Go1.FlowCheck -- [--api URL] [--kafka HOST:PORT] [--payment-method card|wallet|cash]
//                                       [--service ID] [--timeout SECONDS] [--user ID (gateway headers, user_app)]
//                                       [--gateway-secret SECRET (what the gateway sends as X-Gateway-Secret)]
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
        Console.Error.WriteLine("usage: Go1.FlowCheck [--api URL] [--kafka HOST:PORT] [--payment-method card|wallet|cash] [--service ID] [--timeout SECONDS] [--user ID] [--gateway-secret SECRET]");
        return 2;
    }

    settings[args[i][2..]] = args[++i];
}

if (!int.TryParse(settings["timeout"], NumberStyles.None, CultureInfo.InvariantCulture, out var timeout) || timeout <= 0)
{
    Console.Error.WriteLine($"--timeout must be a positive number of seconds, not '{settings["timeout"]}'.");
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

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var options = new FlowOptions
{
    PaymentMethod = settings["payment-method"],
    ServiceId = settings["service"],
    CustomerId = user ?? "flow-customer",
    StepTimeout = TimeSpan.FromSeconds(timeout),
};
Console.WriteLine($"Go1 flow check against {api.BaseAddress} and Kafka {settings["kafka"]}");
return await new OrderFlow(api, producer, Console.Out, options).RunAsync(cancel.Token);
