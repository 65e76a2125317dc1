namespace Go1.Tests.Domain;

/// <summary>The strings on the wire are the Go system's; these tests pin them.</summary>
public sealed class WireNamesTests
{
    [Fact]
    public void Service_types_use_the_go_names() =>
        Assert.Equal(["RIDE-TAXI", "RIDE-HOUR", "RIDE-ROUTE", "RIDE-TRIP", "RIDE-SHARE", "RIDE-SHUTTLE"], WireNames.All<ServiceType>());

    [Fact]
    public void Statuses_use_screaming_snake_case() =>
        Assert.Equal(["WAITING_FOR_PAYMENT", "SCHEDULING", "FINDING", "ASSIGNED", "COMPLETED", "CANCELLED"], WireNames.All<OrderStatus>());

    [Fact]
    public void Every_enum_value_round_trips_through_its_wire_name()
    {
        static void RoundTrip<T>() where T : struct, Enum =>
            Assert.All(Enum.GetValues<T>(), v =>
            {
                Assert.True(WireNames.TryParse<T>(WireNames.Of(v), out var back));
                Assert.Equal(v, back);
            });

        RoundTrip<OrderStatus>();
        RoundTrip<ServiceType>();
        RoundTrip<PaymentMethod>();
        RoundTrip<PaymentType>();
        RoundTrip<PointType>();
        RoundTrip<Audience>();
    }

    [Theory]
    [InlineData("Cash")]
    [InlineData("bitcoin")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_or_differently_cased_names_do_not_parse(string? text) => Assert.False(WireNames.TryParse<PaymentMethod>(text, out _));
}
