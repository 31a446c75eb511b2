using RxFeed.Parsing;

namespace RxFeed.Book;

/// <summary>
/// Builds one <see cref="OrderBook"/> per symbol and delivers trades from the market-data frames of one stream (a
/// recording, or a connection): depth events go to their symbol's book, trades pass a per-symbol gate on their id
/// (strictly rising, so duplicates across reconnects are dropped), and every frame kind is counted. A snapshot line
/// names no symbol: it belongs to the symbol of the first depth event after it, else (at the end) of the last one
/// before it. Not thread-safe.
/// </summary>
public sealed class MarketDataBooks
{
    private readonly Dictionary<string, OrderBook> _books = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _trades = new(StringComparer.Ordinal);
    private readonly List<(DepthSnapshot Snapshot, string? Before)> _pending = [];
    private readonly OutOfOrderGate _tradeGate = new();
    private readonly DepthSyncRule _rule;
    private readonly Action<OrderBook, long>? _applied;
    private readonly Action<Trade>? _trade;
    private readonly Action<OrderBook, long>? _unsynced;
    private string? _lastDepthSymbol;
    private long _now;

    /// <summary>Initializes a new instance of the <see cref="MarketDataBooks"/> class.</summary>
    /// <param name="rule">Spot or futures continuity for every book.</param>
    /// <param name="applied">Called after every applied depth event with the book and the receive time of the frame that applied it.</param>
    /// <param name="trade">Called with every delivered trade.</param>
    /// <param name="unsynced">Called when a gap unsyncs a book, with the book and the receive time of the event that showed it.</param>
    public MarketDataBooks(DepthSyncRule rule = DepthSyncRule.Spot, Action<OrderBook, long>? applied = null, Action<Trade>? trade = null, Action<OrderBook, long>? unsynced = null)
    {
        _rule = rule;
        _applied = applied;
        _trade = trade;
        _unsynced = unsynced;
    }

    /// <summary>Gets the books by symbol.</summary>
    public IReadOnlyDictionary<string, OrderBook> Books => _books;

    /// <summary>Gets the delivered trades by symbol.</summary>
    public IReadOnlyDictionary<string, long> TradesBySymbol => _trades;

    /// <summary>Gets the valid depth events.</summary>
    public long Depth { get; private set; }

    /// <summary>Gets the valid snapshots.</summary>
    public long Snapshots { get; private set; }

    /// <summary>Gets the valid trade frames (delivered or dropped as duplicates).</summary>
    public long Trades { get; private set; }

    /// <summary>Gets the trades dropped because their id was not above the symbol's last delivered one.</summary>
    public long TradesOutOfOrder { get; private set; }

    /// <summary>Gets the depth frames that broke a field rule.</summary>
    public long InvalidDepth { get; private set; }

    /// <summary>Gets the snapshot lines that broke a field rule.</summary>
    public long InvalidSnapshots { get; private set; }

    /// <summary>Gets the trade frames that broke a field rule.</summary>
    public long InvalidTrades { get; private set; }

    /// <summary>Gets every frame of the three kinds, valid or not: what no longer counts as <c>other</c>.</summary>
    public long Frames => Depth + Snapshots + Trades + InvalidDepth + InvalidSnapshots + InvalidTrades;

    /// <summary>Takes one frame read by <paramref name="parser"/>.</summary>
    /// <param name="frame">The outcome of <see cref="MarketFrameParser.Parse"/>.</param>
    /// <param name="parser">The parser, holding the depth event or snapshot.</param>
    /// <param name="receivedNs">The frame's receive time.</param>
    public void OnFrame(in MarketFrame frame, MarketFrameParser parser, long receivedNs)
    {
        ArgumentNullException.ThrowIfNull(parser);
        _now = receivedNs;
        switch (frame.Kind)
        {
            case MarketFrameKind.Depth when frame.IsValid:
                Depth++;
                OnDepth(parser.Depth);
                break;
            case MarketFrameKind.Depth:
                InvalidDepth++;
                break;
            case MarketFrameKind.Snapshot when frame.IsValid:
                Snapshots++;
                _pending.Add((parser.Snapshot.Clone(), _lastDepthSymbol));
                break;
            case MarketFrameKind.Snapshot:
                InvalidSnapshots++;
                break;
            case MarketFrameKind.Trade when frame.IsValid:
                Trades++;
                OnTrade(frame.Trade);
                break;
            case MarketFrameKind.Trade:
                InvalidTrades++;
                break;
        }
    }

    /// <summary>The stream has ended: snapshots no depth event followed go to the symbol of the last depth event before them.</summary>
    public void Complete()
    {
        foreach ((DepthSnapshot snapshot, string? before) in _pending)
        {
            if (before is not null)
            {
                Snap(BookOf(before), snapshot);
            }
        }

        _pending.Clear();
    }

    private void OnDepth(DepthUpdate update)
    {
        OrderBook book = BookOf(update.Symbol);
        _lastDepthSymbol = update.Symbol;
        if (_pending.Count > 0)
        {
            foreach ((DepthSnapshot snapshot, _) in _pending)
            {
                Snap(book, snapshot);
            }

            _pending.Clear();
        }

        DepthOutcome outcome = book.Apply(update);
        if (outcome == DepthOutcome.Applied)
        {
            _applied?.Invoke(book, _now);
        }
        else if (outcome == DepthOutcome.Gap)
        {
            _unsynced?.Invoke(book, _now);
        }
    }

    private void Snap(OrderBook book, DepthSnapshot snapshot) =>
        book.ApplySnapshot(snapshot, _applied is null ? null : _ => _applied(book, _now));

    private void OnTrade(in Trade trade)
    {
        if (!_tradeGate.Admit(trade.Symbol, trade.TradeId))
        {
            TradesOutOfOrder++;
            return;
        }

        _trades[trade.Symbol] = _trades.GetValueOrDefault(trade.Symbol) + 1;
        _trade?.Invoke(trade);
    }

    private OrderBook BookOf(string symbol)
    {
        if (!_books.TryGetValue(symbol, out OrderBook? book))
        {
            book = new OrderBook(symbol, _rule);
            _books.Add(symbol, book);
        }

        return book;
    }
}
