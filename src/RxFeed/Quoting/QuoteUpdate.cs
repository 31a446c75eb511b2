namespace RxFeed.Quoting;

/// <summary>One price level of a layered quote; a switched-off side's price and size are null.</summary>
/// <param name="Bid">The bid price.</param>
/// <param name="Ask">The ask price.</param>
/// <param name="BidQty">The bid size.</param>
/// <param name="AskQty">The ask size.</param>
public readonly record struct QuoteLevel(decimal? Bid, decimal? Ask, decimal? BidQty, decimal? AskQty);

/// <summary>
/// What the quote engine tells the order manager: a new quote (<see cref="IsCancel"/> false) or that quoting of the symbol
/// is pulled (<see cref="IsCancel"/> true, with <see cref="Reason"/> <c>Stale</c>, <c>Crossed</c> or <c>Recovering</c>).
/// </summary>
public readonly record struct QuoteUpdate
{
    /// <summary>Gets the venue symbol the quote is for (<c>--symbol-dst</c>, default the source symbol).</summary>
    public string Symbol { get; init; }

    /// <summary>Gets the source symbol whose book tickers drive the quote.</summary>
    public string SourceSymbol { get; init; }

    /// <summary>Gets the time in nanoseconds since the Unix epoch: the tick's receive time, or E + min_requote for a trailing quote.</summary>
    public long TsNs { get; init; }

    /// <summary>Gets the update id (<c>u</c>) of the tick the quote came from; 0 for a cancel.</summary>
    public long UpdateId { get; init; }

    /// <summary>Gets a value indicating whether quoting is pulled.</summary>
    public bool IsCancel { get; init; }

    /// <summary>Gets why quoting is pulled (a <see cref="Health.FeedState"/> name), or null for a quote.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets the level-0 bid price, or null when the bid side is off (or for a cancel).</summary>
    public decimal? Bid { get; init; }

    /// <summary>Gets the level-0 ask price, or null when the ask side is off (or for a cancel).</summary>
    public decimal? Ask { get; init; }

    /// <summary>Gets the level-0 bid size, or null when the bid side is off.</summary>
    public decimal? BidQty { get; init; }

    /// <summary>Gets the level-0 ask size, or null when the ask side is off.</summary>
    public decimal? AskQty { get; init; }

    /// <summary>Gets every level, level 0 first, when more than one layer is quoted; otherwise null.</summary>
    public IReadOnlyList<QuoteLevel>? Levels { get; init; }

    /// <summary>Gets the number of levels per side (0 for a cancel).</summary>
    public int LevelCount => IsCancel ? 0 : Levels?.Count ?? 1;

    /// <summary>Gets one level of the quote.</summary>
    /// <param name="index">The level, 0 first.</param>
    /// <returns>The level's prices and sizes.</returns>
    public QuoteLevel Level(int index) =>
        Levels is { } levels ? levels[index] : index == 0 ? new QuoteLevel(Bid, Ask, BidQty, AskQty) : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Creates a cancel.</summary>
    /// <param name="symbol">The venue symbol.</param>
    /// <param name="sourceSymbol">The source symbol.</param>
    /// <param name="tsNs">When.</param>
    /// <param name="reason">Why.</param>
    /// <returns>The cancel.</returns>
    public static QuoteUpdate Cancel(string symbol, string sourceSymbol, long tsNs, string reason) =>
        new() { Symbol = symbol, SourceSymbol = sourceSymbol, TsNs = tsNs, IsCancel = true, Reason = reason };
}
