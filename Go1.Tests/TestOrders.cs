using System.Text.Json.Nodes;

namespace Go1.Tests;

/// <summary>
/// A valid ride order for tests that need one but not a particular one: a rider's taxi order with the optional
/// parts filled in, and timestamps at PostgreSQL's microsecond precision so that round trips compare equal.
/// </summary>
public static class TestOrders
{
    public static RideOrder New(string paymentMethod = "card", IReadOnlyDictionary<string, string>? paymentConfig = null, int autoCancelSeconds = 300, bool scheduled = false, Guid? id = null)
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).AddTicks(1230);
        var service = new ServiceSnapshot("taxi", ServiceType.RideTaxi, "Taxi", "METERED", TimeSpan.FromSeconds(autoCancelSeconds), TimeSpan.FromMinutes(1), ["child-seat"]);
        var draft = new OrderDraft(paymentMethod, paymentConfig, null, null, [new(10.77, 106.70, "A", "pickup", 0), new(10.81, 106.65, "B", "dropoff", 1)],
            "PROMO", null, true, scheduled ? now.AddHours(2) : null, scheduled, null, new JsonObject { ["source"] = "test", ["n"] = 1 });
        return RideOrder.Create(id ?? Guid.CreateVersion7(), new Caller($"rider-{Guid.NewGuid():N}", Audience.UserApp, "ios", null), service, draft, now);
    }
}
