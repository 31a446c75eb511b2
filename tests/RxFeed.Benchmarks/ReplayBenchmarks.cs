using System.Reactive.Subjects;
using BenchmarkDotNet.Attributes;
using RxFeed.Diagnostics;
using RxFeed.Time;

namespace RxFeed.Benchmarks;

/// <summary>
/// The whole capture (all 33,618 lines: book tickers, trades, depth, a REST snapshot) through the full operator chain
/// <c>ToBookTickers</c>, in virtual time: each frame advances a <see cref="ReplayScheduler"/> to its receive time and is
/// pushed. Lines are preloaded, so this measures the operators, not gzip or file I/O (tools/bench-replay.sh does that).
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[Config(typeof(FramesPerSecondColumn.Config))]
public class ReplayBenchmarks
{
    private const int LineCount = 33_618;
    private const int CaptureBookTickers = 24_077;
    private long[] _ns = [];
    private string[] _frames = [];

    /// <summary>Loads the capture and checks the chain delivers exactly its book tickers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_ns, _frames) = CaptureLines.LoadAll();
        if (_frames.Length != LineCount)
        {
            throw new InvalidOperationException($"expected {LineCount} lines in the capture, read {_frames.Length}");
        }

        long delivered = ToBookTickers();
        if (delivered != CaptureBookTickers)
        {
            throw new InvalidOperationException($"ToBookTickers delivered {delivered} book tickers, the capture has {CaptureBookTickers}");
        }
    }

    /// <summary>Replays every line through <c>ToBookTickers</c>; one operation per line.</summary>
    /// <returns>The number of delivered book tickers.</returns>
    [Benchmark(OperationsPerInvoke = LineCount)]
    public long ToBookTickers()
    {
        long[] ns = _ns;
        string[] frames = _frames;
        var scheduler = new ReplayScheduler();
        var counters = new FeedCounters();
        using var lines = new Subject<string>();
        long delivered = 0;
        using IDisposable subscription = lines.ToBookTickers(counters, scheduler: scheduler).Subscribe(_ => delivered++);
        long clock = long.MinValue;
        for (int i = 0; i < frames.Length; i++)
        {
            // As `rxfeed replay` does: virtual time only moves forward.
            if (ns[i] > clock)
            {
                clock = ns[i];
                scheduler.AdvanceTo(clock);
            }

            lines.OnNext(frames[i]);
        }

        lines.OnCompleted();
        return delivered;
    }
}
