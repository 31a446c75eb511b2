namespace RxFeed.Book;

/// <summary>
/// One symbol's local order book, kept in step with Binance by its documented procedure: diff events are buffered until
/// a REST snapshot arrives; events the snapshot already holds are dropped; each later event is applied only when it
/// continues the book (spot: <c>U</c> &lt;= id + 1; futures: <c>pu</c> = the previous <c>u</c>). A missing event is a
/// gap: the book is unsynced at once, its levels discarded, and it stays so until the next usable snapshot. Not thread-safe.
/// </summary>
public sealed class OrderBook
{
    private readonly Queue<DepthUpdate> _buffer = new();
    private readonly int _maxBuffered;
    private bool _firstAfterSnapshot;
    private bool _everSynced;
    private long _events;
    private long _applied;
    private long _dropped;
    private long _gaps;
    private long _resyncs;
    private long _crossed;

    /// <summary>Initializes a new instance of the <see cref="OrderBook"/> class, unsynced and empty.</summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="rule">Spot or futures continuity.</param>
    /// <param name="maxBuffered">Events held while unsynced; beyond it the oldest are dropped (a snapshot can only be newer).</param>
    public OrderBook(string symbol, DepthSyncRule rule = DepthSyncRule.Spot, int maxBuffered = 4096)
    {
        ArgumentException.ThrowIfNullOrEmpty(symbol);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBuffered, 1);
        Symbol = symbol;
        Rule = rule;
        _maxBuffered = maxBuffered;
    }

    /// <summary>Gets the symbol.</summary>
    public string Symbol { get; }

    /// <summary>Gets the continuity rule.</summary>
    public DepthSyncRule Rule { get; }

    /// <summary>Gets the bids, best (highest) first.</summary>
    public BookSide Bids { get; } = new(bids: true);

    /// <summary>Gets the asks, best (lowest) first.</summary>
    public BookSide Asks { get; } = new(bids: false);

    /// <summary>Gets the update id the book is as of (the last applied <c>u</c>, or the snapshot's <c>lastUpdateId</c>).</summary>
    public long UpdateId { get; private set; }

    /// <summary>Gets a value indicating whether the book is synced; an unsynced book must never be quoted on.</summary>
    public bool IsSynced { get; private set; }

    /// <summary>Gets a value indicating whether the synced book is crossed (best bid &gt;= best ask) after the last applied event.</summary>
    public bool IsCrossed { get; private set; }

    /// <summary>Gets the number of events held for the next snapshot.</summary>
    public int Buffered => _buffer.Count;

    /// <summary>Gets the update id of the first buffered event's <c>U</c>, or null: a snapshot older than it cannot be used.</summary>
    public long? FirstBufferedUpdateId => _buffer.Count == 0 ? null : _buffer.Peek().FirstUpdateId;

    /// <summary>Gets the counts so far.</summary>
    public BookCounts Counts => new(_events, _applied, _dropped, _gaps, _resyncs, _crossed);

    /// <summary>Takes one diff event of this book's symbol.</summary>
    /// <param name="update">The event; read now, copied only when it must be buffered.</param>
    /// <returns>What it did.</returns>
    public DepthOutcome Apply(DepthUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        _events++;
        if (!IsSynced)
        {
            Buffer(update);
            return DepthOutcome.Buffered;
        }

        return Continue(update, buffered: false);
    }

    /// <summary>Takes a REST snapshot: the book is replaced by it and the buffered events newer than it are applied.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="applied">Called after each buffered event applied on top, with the event.</param>
    /// <returns>Whether the book is synced from it.</returns>
    public SnapshotOutcome ApplySnapshot(DepthSnapshot snapshot, Action<DepthUpdate>? applied = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        long id = snapshot.LastUpdateId;
        if (IsSynced && id <= UpdateId)
        {
            return SnapshotOutcome.Ignored;
        }

        while (_buffer.Count > 0 && _buffer.Peek().FinalUpdateId <= id)
        {
            _buffer.Dequeue();
            _dropped++;
        }

        if (_buffer.Count > 0 && !Continues(_buffer.Peek(), id, first: true))
        {
            return SnapshotOutcome.TooOld;
        }

        Bids.Load(snapshot.Bids);
        Asks.Load(snapshot.Asks);
        UpdateId = id;
        IsSynced = true;
        IsCrossed = false;
        _firstAfterSnapshot = true;
        if (_everSynced)
        {
            _resyncs++;
        }

        _everSynced = true;
        while (IsSynced && _buffer.Count > 0)
        {
            DepthUpdate next = _buffer.Dequeue();
            if (Continue(next, buffered: true) == DepthOutcome.Applied)
            {
                applied?.Invoke(next);
            }
        }

        return SnapshotOutcome.Synced;
    }

    /// <summary>Copies the book's top levels into a view of its own.</summary>
    /// <param name="levels">Levels per side.</param>
    /// <param name="receivedNs">The receive time to stamp it with.</param>
    /// <returns>The view.</returns>
    public BookView View(int levels, long receivedNs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(levels);
        return new BookView(Symbol, UpdateId, IsSynced, IsCrossed, Top(Bids, levels), Top(Asks, levels), receivedNs);
    }

    /// <summary>Marks the book unsynced (a reconnect: events may have been missed) without counting a gap.</summary>
    public void Invalidate()
    {
        IsSynced = false;
        IsCrossed = false;
        Bids.Clear();
        Asks.Clear();
        _buffer.Clear();
    }

    private DepthOutcome Continue(DepthUpdate update, bool buffered)
    {
        if (update.FinalUpdateId <= UpdateId)
        {
            _dropped++;
            return DepthOutcome.Dropped;
        }

        if (!Continues(update, UpdateId, _firstAfterSnapshot))
        {
            _gaps++;
            IsSynced = false;
            IsCrossed = false;
            Bids.Clear();
            Asks.Clear();
            if (!buffered)
            {
                Buffer(update);
            }
            else
            {
                _buffer.Enqueue(update);
            }

            return DepthOutcome.Gap;
        }

        foreach (PriceLevel level in update.Bids)
        {
            Bids.Set(level.Price, level.Quantity);
        }

        foreach (PriceLevel level in update.Asks)
        {
            Asks.Set(level.Price, level.Quantity);
        }

        UpdateId = update.FinalUpdateId;
        _firstAfterSnapshot = false;
        _applied++;
        IsCrossed = Bids.TryGetBest(out PriceLevel bid) && Asks.TryGetBest(out PriceLevel ask) && bid.Price >= ask.Price;
        if (IsCrossed)
        {
            _crossed++;
        }

        return DepthOutcome.Applied;
    }

    /// <summary>Whether an event with <c>u</c> above <paramref name="id"/> follows a book at <paramref name="id"/> with nothing missing.</summary>
    private bool Continues(DepthUpdate update, long id, bool first) => Rule switch
    {
        // Futures: the first event after a snapshot must straddle it (U <= id <= u); later ones chain by pu.
        DepthSyncRule.Futures => first ? update.FirstUpdateId <= id || update.PreviousFinalUpdateId == id : update.PreviousFinalUpdateId == id,
        _ => update.FirstUpdateId <= id + 1,
    };

    private static PriceLevel[] Top(BookSide side, int levels)
    {
        var top = new PriceLevel[Math.Min(levels, side.Count)];
        for (int i = 0; i < top.Length; i++)
        {
            top[i] = side[i];
        }

        return top;
    }

    private void Buffer(DepthUpdate update)
    {
        if (_buffer.Count == _maxBuffered)
        {
            _buffer.Dequeue();
            _dropped++;
        }

        _buffer.Enqueue(update.Clone());
    }
}
