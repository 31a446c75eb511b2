namespace RxFeed;

/// <summary>
/// One diff-depth event (<c>depthUpdate</c>): the absolute quantities of the levels that changed between update ids
/// <see cref="FirstUpdateId"/> (<c>U</c>) and <see cref="FinalUpdateId"/> (<c>u</c>). The parser fills one instance
/// again for every frame so that reading depth allocates nothing: hold on to it only until the next frame, or
/// <see cref="Clone"/> it.
/// </summary>
public sealed class DepthUpdate
{
    private readonly LevelBuffer _bids;
    private readonly LevelBuffer _asks;

    /// <summary>Initializes a new instance of the <see cref="DepthUpdate"/> class, empty, for a parser to fill.</summary>
    public DepthUpdate()
    {
        Symbol = string.Empty;
        _bids = new LevelBuffer();
        _asks = new LevelBuffer();
    }

    /// <summary>Initializes a new instance of the <see cref="DepthUpdate"/> class with its content.</summary>
    /// <param name="symbol">The symbol (<c>s</c>).</param>
    /// <param name="firstUpdateId">The first update id (<c>U</c>).</param>
    /// <param name="finalUpdateId">The final update id (<c>u</c>).</param>
    /// <param name="bids">The changed bid levels (<c>b</c>).</param>
    /// <param name="asks">The changed ask levels (<c>a</c>).</param>
    /// <param name="previousFinalUpdateId">Futures only: the previous event's final update id (<c>pu</c>).</param>
    /// <param name="receivedNs">Local receive time, nanoseconds since the Unix epoch.</param>
    public DepthUpdate(string symbol, long firstUpdateId, long finalUpdateId, PriceLevel[] bids, PriceLevel[] asks, long? previousFinalUpdateId = null, long receivedNs = 0)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        ArgumentNullException.ThrowIfNull(bids);
        ArgumentNullException.ThrowIfNull(asks);
        Symbol = symbol;
        FirstUpdateId = firstUpdateId;
        FinalUpdateId = finalUpdateId;
        PreviousFinalUpdateId = previousFinalUpdateId;
        ReceivedNs = receivedNs;
        _bids = new LevelBuffer(bids);
        _asks = new LevelBuffer(asks);
    }

    /// <summary>Gets the symbol (<c>s</c>).</summary>
    public string Symbol { get; internal set; }

    /// <summary>Gets the event time (<c>E</c>), milliseconds since the Unix epoch.</summary>
    public long EventTime { get; internal set; }

    /// <summary>Gets the futures transaction time (<c>T</c>), when the frame carries it.</summary>
    public long? TransactionTime { get; internal set; }

    /// <summary>Gets the first update id in the event (<c>U</c>).</summary>
    public long FirstUpdateId { get; internal set; }

    /// <summary>Gets the final update id in the event (<c>u</c>).</summary>
    public long FinalUpdateId { get; internal set; }

    /// <summary>Gets, on futures, the previous event's final update id (<c>pu</c>); null on spot.</summary>
    public long? PreviousFinalUpdateId { get; internal set; }

    /// <summary>Gets the local receive time, nanoseconds since the Unix epoch.</summary>
    public long ReceivedNs { get; internal set; }

    /// <summary>Gets the changed bid levels, in the order sent.</summary>
    public ReadOnlySpan<PriceLevel> Bids => _bids.Span;

    /// <summary>Gets the changed ask levels, in the order sent.</summary>
    public ReadOnlySpan<PriceLevel> Asks => _asks.Span;

    internal LevelBuffer BidBuffer => _bids;

    internal LevelBuffer AskBuffer => _asks;

    /// <summary>Copies this event into an instance of its own.</summary>
    /// <returns>The copy.</returns>
    public DepthUpdate Clone() => new(Symbol, FirstUpdateId, FinalUpdateId, Bids.ToArray(), Asks.ToArray(), PreviousFinalUpdateId, ReceivedNs)
    {
        EventTime = EventTime,
        TransactionTime = TransactionTime,
    };

    internal void Reset()
    {
        _bids.Clear();
        _asks.Clear();
        PreviousFinalUpdateId = null;
        TransactionTime = null;
    }
}

/// <summary>A growable list of levels that keeps its array between frames, so refilling it allocates nothing.</summary>
internal sealed class LevelBuffer
{
    private PriceLevel[] _items;

    public LevelBuffer() => _items = new PriceLevel[64];

    public LevelBuffer(PriceLevel[] items)
    {
        _items = (PriceLevel[])items.Clone();
        Count = items.Length;
    }

    public int Count { get; private set; }

    public ReadOnlySpan<PriceLevel> Span => _items.AsSpan(0, Count);

    public void Clear() => Count = 0;

    public void Add(PriceLevel level)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, Math.Max(64, _items.Length * 2));
        }

        _items[Count++] = level;
    }
}
