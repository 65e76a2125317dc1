namespace Go1.ServiceDefaults;

/// <summary>Capped exponential backoff for loops that reconnect or retry: first, 2×first, 4×first, … never more than max.</summary>
public static class RetryBackoff
{
    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row (1 for the first).</summary>
    public static TimeSpan After(int failures, TimeSpan first, TimeSpan max) =>
        TimeSpan.FromTicks(Math.Min(max.Ticks, first.Ticks * (1L << Math.Clamp(failures - 1, 0, 20))));
}
