namespace RxFeed;

/// <summary>
/// A symbol's order book at one moment: its top levels, best first, the update id it is as of, and whether it may be
/// used. A view of an unsynced book has no levels; quote only on <see cref="IsSynced"/> and not <see cref="IsCrossed"/>.
/// </summary>
/// <param name="Symbol">The symbol.</param>
/// <param name="UpdateId">The book's update id (the last applied <c>u</c>).</param>
/// <param name="IsSynced">Whether the book is synced.</param>
/// <param name="IsCrossed">Whether best bid &gt;= best ask.</param>
/// <param name="Bids">Top bid levels, best first.</param>
/// <param name="Asks">Top ask levels, best first.</param>
/// <param name="ReceivedNs">Receive time of the frame that produced this view.</param>
public sealed record BookView(string Symbol, long UpdateId, bool IsSynced, bool IsCrossed, IReadOnlyList<PriceLevel> Bids, IReadOnlyList<PriceLevel> Asks, long ReceivedNs);
