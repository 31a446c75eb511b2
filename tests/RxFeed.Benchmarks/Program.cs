using BenchmarkDotNet.Running;
using RxFeed.Benchmarks;

// `loop METHOD [SECONDS]` runs one parse benchmark in a plain loop for an external profiler; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "loop")
{
    return ProfileLoop.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
