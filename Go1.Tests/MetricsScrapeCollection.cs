namespace Go1.Tests;

/// <summary>
/// Tests that scrape a host's /metrics run alone, after the parallel ones. OpenTelemetry's meter listener sees every
/// meter of a name in the process, not only its own host's: when another host with the same meters is disposed, its
/// instruments' completion removes those series from this host's exporter for good (seen with OpenTelemetry 1.20:
/// go1_cache_near_live gone from a live API's scrape once a second API had been disposed). One host per process in
/// production; many at once in this test run.
/// </summary>
[CollectionDefinition(nameof(MetricsScrapeCollection), DisableParallelization = true)]
public sealed class MetricsScrapeCollection;
