using BenchmarkDotNet.Running;
using RxFeed.Benchmarks;

// `loop METHOD [SECONDS]` runs one parse benchmark in a plain loop for an external profiler; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "loop")
{
    return ProfileLoop.Run(args);
}

if (args.Length > 0 && args[0] is "floor" or "gunzip")
{
    // The floors of tools/bench-replay.sh: reading a capture plus the parse loop over its frames; GZipStream to nothing.
    return ReplayFloor.Run(args);
}

if (args.Length > 0 && args[0] == "book")
{
    return BookLoop.Run(args);
}

if (args.Length > 0 && args[0] == "e2e")
{
    // End to end over a real loopback WebSocket: a custom harness, since throughput and a latency distribution are
    // not per-operation timings (see EndToEndBenchmark).
    return await RxFeed.Benchmarks.EndToEndBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "nats")
{
    // One publisher, many consumer processes over a running nats-server (tools/bench-nats.sh starts one).
    return await RxFeed.Benchmarks.NatsFanout.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "nats-consume")
{
    return await RxFeed.Benchmarks.NatsFanout.ConsumeAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
