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
    private long[] _tickerNs = [];
    private string[] _tickerFrames = [];

    /// <summary>Loads the capture and checks the chain delivers exactly its book tickers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_ns, _frames) = CaptureLines.LoadAll();
        if (_frames.Length != LineCount)
        {
            throw new InvalidOperationException($"expected {LineCount} lines in the capture, read {_frames.Length}");
        }

        int[] tickers = Enumerable.Range(0, _frames.Length).Where(i => _frames[i].Contains("@bookTicker\"", StringComparison.Ordinal)).ToArray();
        _tickerNs = tickers.Select(i => _ns[i]).ToArray();
        _tickerFrames = tickers.Select(i => _frames[i]).ToArray();
        long delivered = ToBookTickers();
        long deliveredTickersOnly = ToBookTickersBookTickerLinesOnly();
        if (delivered != CaptureBookTickers || deliveredTickersOnly != CaptureBookTickers)
        {
            throw new InvalidOperationException($"ToBookTickers delivered {delivered} and {deliveredTickersOnly} book tickers, the capture has {CaptureBookTickers}");
        }
    }

    /// <summary>Replays every line (book tickers, trades, depth, the REST snapshot) through <c>ToBookTickers</c>; one operation per line.</summary>
    /// <returns>The number of delivered book tickers.</returns>
    [Benchmark(OperationsPerInvoke = LineCount)]
    public long ToBookTickers() => Replay(_ns, _frames);

    /// <summary>Only the capture's book-ticker lines, the hot path of a book-ticker subscription (and of tools/bench-replay.sh).</summary>
    /// <returns>The number of delivered book tickers.</returns>
    [Benchmark(OperationsPerInvoke = CaptureBookTickers)]
    public long ToBookTickersBookTickerLinesOnly() => Replay(_tickerNs, _tickerFrames);

    private static long Replay(long[] ns, string[] frames)
    {
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
