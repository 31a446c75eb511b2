using RxFeed.Quoting;

namespace RxFeed.Orders;

/// <summary>
/// Keeps a venue's orders following the quote engine. Orders are network calls: the calls here never wait for the venue's
/// answers, which come later on the manager's scheduler; <see cref="Events"/> tells what was sent and what was refused.
/// </summary>
public interface IOrderManager
{
    /// <summary>Gets every action, as it happens.</summary>
    IObservable<OrderEvent> Events { get; }

    /// <summary>Gets how many places and cancels were sent and how many places were refused so far.</summary>
    OrderCounts Counts { get; }

    /// <summary>
    /// Makes the symbol's orders follow <paramref name="quote"/>; a cancel pulls every order of the symbol at once, also
    /// orders whose place is still in flight.
    /// </summary>
    /// <param name="quote">The latest quote update.</param>
    void Apply(in QuoteUpdate quote);

    /// <summary>Cancels every order of every symbol, in flight or live (graceful stop), and forgets what was waiting for tokens.</summary>
    /// <param name="tsNs">When, in nanoseconds since the Unix epoch.</param>
    void CancelAll(long tsNs);
}
