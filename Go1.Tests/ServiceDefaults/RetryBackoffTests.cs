using Go1.ServiceDefaults;

namespace Go1.Tests.ServiceDefaults;

public sealed class RetryBackoffTests
{
    [Fact]
    public void Each_failure_doubles_the_wait_until_the_cap()
    {
        var waits = Enumerable.Range(1, 7).Select(n => RetryBackoff.After(n, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)).TotalSeconds);

        Assert.Equal([1d, 2, 4, 8, 16, 30, 30], waits);
        Assert.Equal(TimeSpan.FromSeconds(30), RetryBackoff.After(10_000, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)));
    }
}
