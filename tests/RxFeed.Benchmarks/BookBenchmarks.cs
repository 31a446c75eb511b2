using BenchmarkDotNet.Attributes;
using RxFeed.Book;
using RxFeed.Parsing;

namespace RxFeed.Benchmarks;

/// <summary>
/// Apply the shared capture's depth events (3,432 after its snapshot, 31 levels each on average, changes up to 1,400
/// levels deep) to a local book: RxFeed's <see cref="OrderBook"/> against a <c>SortedDictionary&lt;decimal, decimal&gt;</c>
/// per side, in the same run. Events are parsed once in the set-up, so only applying is timed. Each invocation loads the
/// snapshot and applies every event; the <c>PerEvent</c> pair divides by events, the <c>PerLevel</c> pair by levels. The
/// baseline does less than the book (no continuity or crossed checks, no best-price reads), so the ratio is conservative.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class BookBenchmarks
{
    /// <summary>Depth events after the snapshot in the capture.</summary>
    public const int Events = 3432;

    /// <summary>Price levels in those events.</summary>
    public const int LevelCount = 106802;

    private static readonly IComparer<decimal> Descending = Comparer<decimal>.Create((a, b) => b.CompareTo(a));

    private readonly OrderBook _book = new("ETHUSDT");
    private readonly SortedDictionary<decimal, decimal> _bids = new(Descending);
    private readonly SortedDictionary<decimal, decimal> _asks = new();
    private DepthSnapshot _snapshot = null!;
    private DepthUpdate[] _events = [];

    /// <summary>Parses the snapshot and the events, and checks that both books end equal.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var parser = new MarketFrameParser();
        var events = new List<DepthUpdate>();
        (long[] ns, string[] frames) = CaptureLines.LoadAll();
        for (int i = 0; i < frames.Length; i++)
        {
            MarketFrame f = parser.Parse(frames[i], ns[i]);
            if (f.Kind == MarketFrameKind.Snapshot)
            {
                _snapshot = parser.Snapshot.Clone();
            }
            else if (f.Kind == MarketFrameKind.Depth && _snapshot is not null && parser.Depth.FinalUpdateId > _snapshot.LastUpdateId)
            {
                events.Add(parser.Depth.Clone());
            }
        }

        _events = [.. events];
        int levels = _events.Sum(e => e.Bids.Length + e.Asks.Length);
        if (_events.Length != Events || levels != LevelCount)
        {
            throw new InvalidOperationException($"the capture holds {_events.Length} events and {levels} levels, not {Events} and {LevelCount}");
        }

        OrderBookApplyPerEvent();
        SortedDictionaryApplyPerEvent();
        if (_book.Counts.Gaps != 0 || _book.Bids.Count != _bids.Count || _book.Asks.Count != _asks.Count
            || _book.Bids[0].Price != _bids.First().Key || _book.Asks[0].Price != _asks.First().Key)
        {
            throw new InvalidOperationException("the two books disagree");
        }
    }

    /// <summary>Baseline: a sorted dictionary per side.</summary>
    /// <returns>A checksum.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public long SortedDictionaryApplyPerEvent() => SortedDictionaryApply();

    /// <summary>RxFeed's book, with the sync procedure.</summary>
    /// <returns>A checksum.</returns>
    [Benchmark(OperationsPerInvoke = Events)]
    public long OrderBookApplyPerEvent() => OrderBookApply();

    /// <summary>The same work as <see cref="SortedDictionaryApplyPerEvent"/>, per level.</summary>
    /// <returns>A checksum.</returns>
    [Benchmark(OperationsPerInvoke = LevelCount)]
    public long SortedDictionaryApplyPerLevel() => SortedDictionaryApply();

    /// <summary>The same work as <see cref="OrderBookApplyPerEvent"/>, per level.</summary>
    /// <returns>A checksum.</returns>
    [Benchmark(OperationsPerInvoke = LevelCount)]
    public long OrderBookApplyPerLevel() => OrderBookApply();

    private long OrderBookApply()
    {
        OrderBook book = _book;
        book.Invalidate();
        book.ApplySnapshot(_snapshot);
        long applied = 0;
        foreach (DepthUpdate e in _events)
        {
            applied += (int)book.Apply(e);
        }

        return applied + book.Bids.Count;
    }

    private long SortedDictionaryApply()
    {
        Load(_bids, _snapshot.Bids);
        Load(_asks, _snapshot.Asks);
        long id = _snapshot.LastUpdateId;
        long applied = 0;
        foreach (DepthUpdate e in _events)
        {
            if (e.FinalUpdateId <= id)
            {
                continue;
            }

            Apply(_bids, e.Bids);
            Apply(_asks, e.Asks);
            id = e.FinalUpdateId;
            applied++;
        }

        return applied + _bids.Count;
    }

    private static void Load(SortedDictionary<decimal, decimal> side, ReadOnlySpan<PriceLevel> levels)
    {
        side.Clear();
        Apply(side, levels);
    }

    private static void Apply(SortedDictionary<decimal, decimal> side, ReadOnlySpan<PriceLevel> levels)
    {
        foreach (PriceLevel l in levels)
        {
            if (l.Quantity == 0m)
            {
                side.Remove(l.Price);
            }
            else
            {
                side[l.Price] = l.Quantity;
            }
        }
    }
}
