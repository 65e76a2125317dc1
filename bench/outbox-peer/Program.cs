using Go1.Bench.OutboxPeer;

return await PeerBenchmark.RunAsync(args);
