namespace RxFeed;

/// <summary>One trade of a symbol (a <c>@trade</c> frame), exactly as Binance sent it.</summary>
/// <param name="Symbol">The symbol (<c>s</c>).</param>
/// <param name="TradeId">The trade id (<c>t</c>); strictly rising per symbol.</param>
/// <param name="Price">The price (<c>p</c>).</param>
/// <param name="Quantity">The quantity (<c>q</c>).</param>
/// <param name="TradeTime">The trade time (<c>T</c>), milliseconds since the Unix epoch.</param>
/// <param name="BuyerIsMaker">Whether the buyer was the maker (<c>m</c>): true means the aggressor sold.</param>
/// <param name="BuyerOrderId">The buyer's order id (<c>b</c>) where the frame carries it.</param>
/// <param name="SellerOrderId">The seller's order id (<c>a</c>) where the frame carries it.</param>
/// <param name="ReceivedNs">Local receive time in nanoseconds since the Unix epoch (virtual time in replays).</param>
public readonly record struct Trade(
    string Symbol,
    long TradeId,
    decimal Price,
    decimal Quantity,
    long TradeTime,
    bool BuyerIsMaker,
    long? BuyerOrderId = null,
    long? SellerOrderId = null,
    long ReceivedNs = 0);
