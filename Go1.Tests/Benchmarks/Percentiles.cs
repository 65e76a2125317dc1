namespace Go1.Tests.Benchmarks;

public static class Percentiles
{
    /// <summary>The nearest-rank <paramref name="p"/> percentile (0..1) of ascending <paramref name="sorted"/>.</summary>
    public static double Of(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
