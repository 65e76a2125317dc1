[assembly: AssemblyFixture(typeof(Go1.Tests.Servers.KafkaMockCluster))]

namespace Go1.Tests.Servers;

/// <summary>The mock cluster as the tests' assembly fixture (its xunit side; bench/outbox-peer compiles the rest).</summary>
public sealed partial class KafkaMockCluster : IAsyncLifetime;
