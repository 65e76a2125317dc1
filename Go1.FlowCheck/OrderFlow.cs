using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Confluent.Kafka;
using Go1.Orders.Application;
using Go1.Orders.Application.Events;

namespace Go1.FlowCheck;

/// <summary>
/// Drives one order through the running system the way the outside world would — create it over HTTP,
/// publish the dispatch system's ASSIGNED and the shipment system's DELIVERED to Kafka — and checks after
/// each step that the order really got there. Returns 0 when it ends COMPLETED, 1 with the reason otherwise.
/// </summary>
public sealed class OrderFlow(HttpClient api, IProducer<string, byte[]> kafka, TextWriter output, FlowOptions options)
{
    private readonly Stopwatch _clock = new();

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        _clock.Start();
        try
        {
            var order = await CreateAsync(cancellationToken);
            await WaitForAsync(order.Id, "FINDING", "the saga starts (OrderCreated → OrderWorker → Temporal) and, for card/wallet, the payment is authorized", cancellationToken);

            var driver = new DispatchEvent.DriverInfo($"flow-driver-{Guid.NewGuid():N}"[..24], "+84900000000", "Flow Check");
            await PublishAsync(DispatchEvent.Topic, order.Id, new DispatchEvent(order.Id, DispatchEvent.Assigned, driver), cancellationToken);
            var assigned = await WaitForAsync(order.Id, "ASSIGNED", "OrderWorker signals OrderDispatched and the saga assigns the driver", cancellationToken);
            if (assigned.Driver?.Id != driver.Id)
            {
                return Fail($"order {order.Id} is ASSIGNED to '{assigned.Driver?.Id}', not to the driver dispatched ({driver.Id}).");
            }

            await PublishAsync(ShipmentEvent.Topic, order.Id, new ShipmentEvent(order.Id, ShipmentEvent.Delivered), cancellationToken);
            var completed = await WaitForAsync(order.Id, "COMPLETED", "OrderWorker signals OrderDelivered and the saga captures the payment and completes", cancellationToken);
            Say($"PASSED: order {completed.Id} is COMPLETED (version {completed.Version}, driver {completed.Driver?.Id}).");
            return 0;
        }
        catch (FlowFailedException ex)
        {
            return Fail(ex.Message);
        }
        catch (HttpRequestException ex)
        {
            return Fail($"the API at {api.BaseAddress} did not answer: {ex.Message}");
        }
        catch (KafkaException ex)
        {
            return Fail($"Kafka did not take the event: {ex.Error.Reason}");
        }
    }

    private async Task<FlowOrder> CreateAsync(CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, object?>
        {
            ["service_id"] = options.ServiceId,
            ["payment_method"] = options.PaymentMethod,
            ["customer_id"] = options.CustomerId,
            ["points"] = new object[]
            {
                new { lat = 10.7769, lng = 106.7009, address = "Ben Thanh Market", type = "pickup", order = 0 },
                new { lat = 10.8188, lng = 106.6519, address = "Tan Son Nhat Airport", type = "dropoff", order = 1 },
            },
            ["metadata"] = new { source = "flow-check" },
        };
        using var response = await api.PostAsJsonAsync("/orders", body, OrderJson.Options, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new FlowFailedException($"POST /orders answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        var order = await response.Content.ReadFromJsonAsync<FlowOrder>(OrderJson.Options, cancellationToken)
            ?? throw new FlowFailedException("POST /orders answered without an order.");
        Say($"created order {order.Id} ({options.PaymentMethod}, service {options.ServiceId}): {order.Status}");
        return order;
    }

    private async Task PublishAsync<T>(string topic, Guid orderId, T message, CancellationToken cancellationToken)
    {
        var value = JsonSerializer.SerializeToUtf8Bytes(message, OrderJson.Options);
        var result = await kafka.ProduceAsync(topic, new Message<string, byte[]> { Key = orderId.ToString(), Value = value }, cancellationToken);
        Say($"published to {topic} (partition {result.Partition.Value}, offset {result.Offset.Value}): {System.Text.Encoding.UTF8.GetString(value)}");
    }

    /// <summary>Polls GET /orders/{id} until the order has <paramref name="status"/>; a final status other than it, or the step timeout, fails.</summary>
    private async Task<FlowOrder> WaitForAsync(Guid orderId, string status, string meaning, CancellationToken cancellationToken)
    {
        Say($"waiting for {status}: {meaning} ...");
        var started = _clock.Elapsed;
        string? last = null;
        while (true)
        {
            using var response = await api.GetAsync($"/orders/{orderId}", cancellationToken);
            if (response.IsSuccessStatusCode && await response.Content.ReadFromJsonAsync<FlowOrder>(OrderJson.Options, cancellationToken) is { } order)
            {
                if (order.Status == status)
                {
                    Say($"order is {status} after {(_clock.Elapsed - started).TotalSeconds:F1} s");
                    return order;
                }

                if (order.Status is "COMPLETED" or "CANCELLED")
                {
                    throw new FlowFailedException($"order {orderId} ended {order.Status}{(order.SubStatus is null ? string.Empty : $" ({order.SubStatus})")} instead of reaching {status}.");
                }

                last = order.Status;
            }
            else
            {
                last = $"HTTP {(int)response.StatusCode}";
            }

            if (_clock.Elapsed - started > options.StepTimeout)
            {
                throw new FlowFailedException(
                    $"order {orderId} did not reach {status} within {options.StepTimeout.TotalSeconds:F0} s (last seen: {last}). Expected: {meaning}. " +
                    "Check that OrderWorker is running and healthy, and that Temporal is up.");
            }

            await Task.Delay(options.PollInterval, cancellationToken);
        }
    }

    private void Say(string line) => output.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:F1}s] {line}");

    private int Fail(string reason)
    {
        Say($"FAILED: {reason}");
        return 1;
    }

    private sealed class FlowFailedException(string message) : Exception(message);
}
