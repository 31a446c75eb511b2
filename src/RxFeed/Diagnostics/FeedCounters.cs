using RxFeed.Parsing;

namespace RxFeed.Diagnostics;

/// <summary>
/// Counts every frame by class, every fault by reason, and per symbol the delivered book tickers with their exact
/// price sums. Written by one pipeline (see <c>Tally</c>) at a time, readable from any thread through <see cref="Snapshot"/>.
/// </summary>
/// <remarks>
/// The writer takes no lock: it makes a version odd while it updates and even again after (a sequence lock), and a
/// reader copies the fields until it sees the same even version before and after its copy. A replay records millions
/// of frames and reads the counts once, a live feed reads them every couple of seconds; a lock cost every frame.
/// </remarks>
public sealed class FeedCounters
{
    private readonly long[] _classes = new long[Enum.GetValues<FrameClass>().Length];
    private readonly long[] _faults = new long[Enum.GetValues<FrameFault>().Length];
    private readonly Dictionary<string, SymbolTally> _symbols = new(StringComparer.Ordinal);

    /// <summary>The tallies in the order their symbols appeared, replaced (never changed) when one is added, for readers.</summary>
    private SymbolTally[] _tallies = [];
    private long _inverted;
    private string? _lastSymbol;
    private SymbolTally? _lastTally;
    private int _version;

    /// <summary>Counts one frame.</summary>
    /// <param name="frame">The frame, after every classifying operator.</param>
    public void Record(in FeedFrame frame)
    {
        RxFeedMeters.CountFrame(frame.Class);
        if (frame.Class == FrameClass.BookTicker && RxFeedMeters.DeliveredTicks.Enabled)
        {
            RxFeedMeters.DeliveredTicks.Add(1);
        }

        // Odd while the fields change: the full fence keeps the updates below from being seen before the odd version.
        Interlocked.Increment(ref _version);
        try
        {
            _classes[(int)frame.Class]++;
            _faults[(int)frame.Fault]++;
            if (frame.Class == FrameClass.BookTicker)
            {
                // Fields read one by one rather than a copy of the whole ticker.
                SymbolTally tally = TallyOf(frame.Ticker.Symbol);

                tally.Delivered++;
                tally.LastUpdateId = frame.Ticker.UpdateId;
                tally.BidSum.Add(frame.Ticker.BidPrice);
                tally.AskSum.Add(frame.Ticker.AskPrice);
                if (frame.Ticker.IsInverted)
                {
                    tally.Inverted++;
                    _inverted++;
                }
            }
            else if (frame.Class == FrameClass.OutOfOrder && _symbols.TryGetValue(frame.Ticker.Symbol, out SymbolTally? tally))
            {
                tally.OutOfOrder++;
            }
        }
        finally
        {
            // Even again, after every update above (a release write).
            Volatile.Write(ref _version, _version + 1);
        }
    }

    /// <summary>The symbol's tally; the parser hands out one string per symbol, so the last one is checked by reference first.</summary>
    private SymbolTally TallyOf(string symbol)
    {
        if (ReferenceEquals(symbol, _lastSymbol))
        {
            return _lastTally!;
        }

        if (!_symbols.TryGetValue(symbol, out SymbolTally? tally))
        {
            tally = new SymbolTally(symbol);
            _symbols.Add(symbol, tally);
            Volatile.Write(ref _tallies, [.. _tallies, tally]);
        }

        _lastSymbol = symbol;
        _lastTally = tally;
        return tally;
    }

    /// <summary>Takes a consistent copy of the counts.</summary>
    /// <returns>The counts now.</returns>
    public FeedCountsSnapshot Snapshot()
    {
        long[] classes = new long[_classes.Length];
        long[] faults = new long[_faults.Length];
        var spin = default(SpinWait);
        while (true)
        {
            int before = Volatile.Read(ref _version);
            if ((before & 1) == 0)
            {
                _classes.AsSpan().CopyTo(classes);
                _faults.AsSpan().CopyTo(faults);
                long inverted = _inverted;
                SymbolTally[] tallies = Volatile.Read(ref _tallies);
                var copies = new SymbolTally[tallies.Length];
                for (int i = 0; i < tallies.Length; i++)
                {
                    copies[i] = tallies[i].Copy();
                }

                // The copies are kept only if no update began or ran while they were taken.
                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref _version) == before)
                {
                    return Build(classes, faults, inverted, copies);
                }
            }

            spin.SpinOnce();
        }
    }

    private static FeedCountsSnapshot Build(long[] classes, long[] faultCounts, long inverted, SymbolTally[] tallies)
    {
        var symbols = new SortedDictionary<string, SymbolCounts>(StringComparer.Ordinal);
        foreach (SymbolTally t in tallies)
        {
            symbols.Add(t.Symbol, new SymbolCounts(t.Delivered, t.Inverted, t.OutOfOrder, t.LastUpdateId, t.BidSum.ToString(), t.AskSum.ToString()));
        }

        var faults = new Dictionary<FrameFault, long>();
        for (int i = 1; i < faultCounts.Length; i++)
        {
            if (faultCounts[i] != 0)
            {
                faults.Add((FrameFault)i, faultCounts[i]);
            }
        }

        return new FeedCountsSnapshot(
            Count(FrameClass.BookTicker),
            inverted,
            Count(FrameClass.Invalid),
            Count(FrameClass.Malformed),
            Count(FrameClass.OutOfOrder),
            Count(FrameClass.Other),
            Count(FrameClass.Control),
            symbols,
            faults);

        long Count(FrameClass c) => classes[(int)c];
    }

    private sealed class SymbolTally(string symbol)
    {
        public string Symbol { get; } = symbol;

        public long Delivered { get; set; }

        public long Inverted { get; set; }

        public long OutOfOrder { get; set; }

        public long LastUpdateId { get; set; }

        public ExactSum BidSum { get; private init; } = new();

        public ExactSum AskSum { get; private init; } = new();

        /// <summary>A copy for a reader; only valid if the version did not move meanwhile.</summary>
        public SymbolTally Copy() => new(Symbol)
        {
            Delivered = Delivered,
            Inverted = Inverted,
            OutOfOrder = OutOfOrder,
            LastUpdateId = LastUpdateId,
            BidSum = BidSum.Copy(),
            AskSum = AskSum.Copy(),
        };
    }
}

/// <summary>Frame counts at one moment (the keys of the <c>--json</c> summary).</summary>
/// <param name="BookTickers">Delivered book tickers (inverted included).</param>
/// <param name="Inverted">Delivered book tickers with bid &gt;= ask.</param>
/// <param name="Invalid">Book tickers that broke a field rule.</param>
/// <param name="Malformed">Frames that are not a well-formed JSON object (or over the cap, or repeat a read key).</param>
/// <param name="OutOfOrder">Valid book tickers dropped for a non-rising update id.</param>
/// <param name="Other">Other well-formed objects.</param>
/// <param name="Control">Acks, error replies and serverShutdown.</param>
/// <param name="Symbols">Per symbol with at least one delivered book ticker, ordinal order.</param>
/// <param name="Faults">Malformed and invalid frames by reason.</param>
public sealed record FeedCountsSnapshot(
    long BookTickers,
    long Inverted,
    long Invalid,
    long Malformed,
    long OutOfOrder,
    long Other,
    long Control,
    IReadOnlyDictionary<string, SymbolCounts> Symbols,
    IReadOnlyDictionary<FrameFault, long> Faults);

/// <summary>Per-symbol counts.</summary>
/// <param name="BookTickers">Delivered book tickers.</param>
/// <param name="Inverted">Delivered inverted ones.</param>
/// <param name="OutOfOrder">Dropped for a non-rising update id.</param>
/// <param name="LastUpdateId">The last delivered <c>u</c>.</param>
/// <param name="BidSum">Exact sum of delivered bids, as decimal text.</param>
/// <param name="AskSum">Exact sum of delivered asks, as decimal text.</param>
public sealed record SymbolCounts(long BookTickers, long Inverted, long OutOfOrder, long LastUpdateId, string BidSum, string AskSum);
