using System.Diagnostics;
using System.Globalization;

namespace RxFeed.Benchmarks;

/// <summary>
/// A plain hot loop over one benchmark method for an external profiler (perf with DOTNET_PerfMapEnabled=1), where
/// BenchmarkDotNet's child processes get in the way: <c>RxFeed.Benchmarks loop METHOD [SECONDS]</c>, METHOD one of
/// <see cref="ParseBenchmarks"/>' methods. Prints wall and process-CPU ns per frame every 2 s. See docs/performance.md.
/// </summary>
internal static class ProfileLoop
{
    public static int Run(string[] args)
    {
        var bench = new ParseBenchmarks();
        bench.Setup();
        Func<long>? body = args.Length > 1 ? args[1] switch
        {
            nameof(ParseBenchmarks.StjDecimal) => bench.StjDecimal,
            nameof(ParseBenchmarks.JsonDocumentDouble) => bench.JsonDocumentDouble,
            nameof(ParseBenchmarks.RxFeedParseValidate) => bench.RxFeedParseValidate,
            nameof(ParseBenchmarks.RxFeedParseOnly) => bench.RxFeedParseOnly,
            _ => null,
        } : null;
        if (body is null)
        {
            Console.Error.WriteLine("usage: RxFeed.Benchmarks loop StjDecimal|JsonDocumentDouble|RxFeedParseValidate|RxFeedParseOnly [SECONDS]");
            return 2;
        }

        double seconds = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 10;
        long checksum = 0;
        using var process = Process.GetCurrentProcess();
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds)
        {
            // Process CPU time beside wall time: on a shared machine the wall clock also counts time spent descheduled.
            process.Refresh();
            TimeSpan cpu0 = process.TotalProcessorTime;
            var lap = Stopwatch.StartNew();
            long calls = 0;
            while (lap.ElapsedMilliseconds < 2000)
            {
                checksum += body();
                calls++;
            }

            process.Refresh();
            double frames = calls * (double)ParseBenchmarks.FrameCount;
            double wallNs = lap.Elapsed.TotalNanoseconds / frames;
            double cpuNs = (process.TotalProcessorTime - cpu0).TotalNanoseconds / frames;
            Console.WriteLine(FormattableString.Invariant($"{args[1]}: {wallNs:F1} ns/frame wall, {cpuNs:F1} ns/frame CPU"));
        }

        Console.WriteLine(FormattableString.Invariant($"checksum {checksum}"));
        return 0;
    }
}
