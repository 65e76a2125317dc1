namespace Go1.Tests.Saga;

public sealed class CompensationsTests
{
    [Fact]
    public async Task Compensations_run_newest_first_once_and_a_failing_one_does_not_stop_the_rest()
    {
        var compensations = new Compensations();
        var ran = new List<string>();
        compensations.Add("ReleasePayment", () => { ran.Add("ReleasePayment"); return Task.CompletedTask; });
        compensations.Add("ReleaseDriver", () => throw new InvalidOperationException("driver service down"));
        compensations.Add("CancelInsurance", () => { ran.Add("CancelInsurance"); return Task.CompletedTask; });

        Assert.Equal(["CancelInsurance", "ReleaseDriver", "ReleasePayment"], compensations.Pending);
        var failures = await compensations.RunAsync();

        Assert.Equal(["CancelInsurance", "ReleasePayment"], ran);
        Assert.Equal("ReleaseDriver", Assert.Single(failures).Name);
    }

    [Fact]
    public async Task A_compensation_that_did_not_complete_is_neither_swallowed_nor_forgotten()
    {
        var compensations = new Compensations();
        var released = 0;
        compensations.Add("ReleasePayment", () => released++ == 0 ? throw new OperationCanceledException("cut short") : Task.CompletedTask);
        compensations.Add("ReleaseDriver", () => Task.CompletedTask);

        // A cancellation cut the release short: it failed, it is reported, and it is still owed.
        var failures = await compensations.RunAsync();

        Assert.Equal("ReleasePayment", Assert.Single(failures).Name);
        Assert.Equal(["ReleasePayment"], compensations.Pending);
        Assert.Empty(await compensations.RunAsync());
        Assert.Empty(compensations.Pending);
        Assert.Equal(2, released);
    }
}
