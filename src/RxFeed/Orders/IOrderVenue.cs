namespace RxFeed.Orders;

/// <summary>
/// Where an order manager's requests go: a venue answers each place and cancel later, and may refuse it. The answer is
/// one <see cref="VenueReply"/> and completion; it may come during the subscription (a venue with no latency).
/// </summary>
public interface IOrderVenue
{
    /// <summary>Sends a place or a cancel of <paramref name="request"/>'s order; the request is sent on subscription.</summary>
    /// <param name="request">A <see cref="OrderAction.Place"/> or <see cref="OrderAction.Cancel"/>, stamped with when it is sent.</param>
    /// <returns>The venue's answer.</returns>
    IObservable<VenueReply> Send(OrderEvent request);
}

/// <summary>A venue's answer to a request.</summary>
/// <param name="Accepted">A place: the order rests on the book (false: refused). A cancel: the order was taken off (false: the venue knows no such order).</param>
/// <param name="TsNs">When the answer arrived, in nanoseconds since the Unix epoch (scheduler time).</param>
public readonly record struct VenueReply(bool Accepted, long TsNs);
