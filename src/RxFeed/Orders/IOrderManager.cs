using RxFeed.Quoting;

namespace RxFeed.Orders;

/// <summary>Keeps a venue's live orders following the quote engine.</summary>
public interface IOrderManager
{
    /// <summary>Gets every action, as it happens.</summary>
    IObservable<OrderEvent> Events { get; }

    /// <summary>Gets how many orders were placed and cancelled so far.</summary>
    OrderCounts Counts { get; }

    /// <summary>Makes the symbol's orders follow <paramref name="quote"/>; a cancel pulls every order of the symbol at once.</summary>
    /// <param name="quote">The latest quote update.</param>
    void Apply(in QuoteUpdate quote);

    /// <summary>Cancels every live order of every symbol (graceful stop) and forgets what was waiting for tokens.</summary>
    /// <param name="tsNs">When, in nanoseconds since the Unix epoch.</param>
    void CancelAll(long tsNs);
}
