using System.Diagnostics;
using System.Globalization;

namespace RxFeed.Benchmarks;

/// <summary>
/// <c>RxFeed.Benchmarks book [SECONDS]</c>: <see cref="BookBenchmarks"/>' two books in alternating plain loops, printing
/// process-CPU ns per event and per level beside wall time, and their ratio: on a shared machine CPU time is the figure
/// that time spent descheduled does not distort.
/// </summary>
internal static class BookLoop
{
    public static int Run(string[] args)
    {
        var bench = new BookBenchmarks();
        bench.Setup();
        double seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        using var process = Process.GetCurrentProcess();
        var total = Stopwatch.StartNew();
        long checksum = 0;
        while (total.Elapsed.TotalSeconds < seconds)
        {
            double ours = Lap(bench.OrderBookApplyPerEvent, process, ref checksum);
            double baseline = Lap(bench.SortedDictionaryApplyPerEvent, process, ref checksum);
            Console.WriteLine(FormattableString.Invariant(
                $"OrderBook {ours:F0} ns/event ({ours / BookBenchmarks.LevelCount * BookBenchmarks.Events:F1} ns/level) CPU; SortedDictionary {baseline:F0} ns/event ({baseline / BookBenchmarks.LevelCount * BookBenchmarks.Events:F1} ns/level) CPU; ratio {baseline / ours:F1}x"));
        }

        Console.WriteLine(FormattableString.Invariant($"checksum {checksum}"));
        return 0;
    }

    private static double Lap(Func<long> body, Process process, ref long checksum)
    {
        process.Refresh();
        TimeSpan cpu0 = process.TotalProcessorTime;
        var lap = Stopwatch.StartNew();
        long calls = 0;
        while (lap.ElapsedMilliseconds < 1000)
        {
            checksum += body();
            calls++;
        }

        process.Refresh();
        return (process.TotalProcessorTime - cpu0).TotalNanoseconds / (calls * (double)BookBenchmarks.Events);
    }
}
