namespace Go1.Tests.Domain;

public sealed class OrderStatusMachineTests
{
    public static TheoryData<OrderStatus, OrderStatus> Legal => new()
    {
        { OrderStatus.WaitingForPayment, OrderStatus.Finding },
        { OrderStatus.WaitingForPayment, OrderStatus.Scheduling },
        { OrderStatus.WaitingForPayment, OrderStatus.Cancelled },
        { OrderStatus.Scheduling, OrderStatus.Finding },
        { OrderStatus.Scheduling, OrderStatus.Cancelled },
        { OrderStatus.Finding, OrderStatus.Assigned },
        { OrderStatus.Finding, OrderStatus.Cancelled },
        { OrderStatus.Assigned, OrderStatus.Completed },
        { OrderStatus.Assigned, OrderStatus.Cancelled },
    };

    [Theory]
    [MemberData(nameof(Legal))]
    public void Legal_transition_is_allowed(OrderStatus from, OrderStatus to) => Assert.True(OrderStatusMachine.CanMove(from, to));

    [Fact]
    public void Every_other_transition_is_rejected_with_a_stable_code()
    {
        var legal = Legal.Select(row => row.Data).ToHashSet();
        var statuses = Enum.GetValues<OrderStatus>();
        var illegal = statuses.SelectMany(from => statuses.Select(to => (from, to))).Where(t => !legal.Contains(t)).ToList();

        Assert.Equal(statuses.Length * statuses.Length - legal.Count, illegal.Count);
        Assert.All(illegal, t =>
        {
            Assert.False(OrderStatusMachine.CanMove(t.from, t.to));
            var error = Assert.Throws<DomainException>(() => OrderStatusMachine.EnsureCanMove(t.from, t.to));
            Assert.Equal(ErrorCodes.IllegalTransition, error.Code);
        });
    }

    [Theory]
    [InlineData(OrderStatus.Completed, true)]
    [InlineData(OrderStatus.Cancelled, true)]
    [InlineData(OrderStatus.Assigned, false)]
    [InlineData(OrderStatus.WaitingForPayment, false)]
    public void Only_completed_and_cancelled_are_final(OrderStatus status, bool final) => Assert.Equal(final, OrderStatusMachine.IsFinal(status));
}
