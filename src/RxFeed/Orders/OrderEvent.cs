namespace RxFeed.Orders;

/// <summary>What the order manager did.</summary>
public enum OrderAction : byte
{
    /// <summary>A new order was sent to the venue.</summary>
    Place,

    /// <summary>A cancel of an order was sent to the venue (it may still be waiting for its place's answer).</summary>
    Cancel,

    /// <summary>The venue refused an order's place while the manager still wanted the order.</summary>
    Rejected,
}

/// <summary>An order's side.</summary>
public enum OrderSide : byte
{
    /// <summary>A bid.</summary>
    Buy,

    /// <summary>An ask.</summary>
    Sell,
}

/// <summary>One action of an <see cref="IOrderManager"/>.</summary>
/// <param name="Symbol">The venue symbol.</param>
/// <param name="Action">Place, cancel or rejected.</param>
/// <param name="Side">The order's side.</param>
/// <param name="Level">The quote level the order stands for (0 unless quotes are layered).</param>
/// <param name="ClientOrderId">The client order id.</param>
/// <param name="Price">The order's price.</param>
/// <param name="Qty">The order's size.</param>
/// <param name="TsNs">
/// When, in nanoseconds since the Unix epoch (scheduler time); never earlier than the manager's previous event, so an
/// order's cancel never carries an earlier time than its place.
/// </param>
public readonly record struct OrderEvent(
    string Symbol,
    OrderAction Action,
    OrderSide Side,
    int Level,
    string ClientOrderId,
    decimal Price,
    decimal Qty,
    long TsNs);

/// <summary>
/// Counts of what an order manager did, one per <see cref="OrderEvent"/> line of each action: every place is closed by
/// exactly one cancel or one rejected, so after a graceful stop <c>Placed == Cancelled + Rejected</c>.
/// </summary>
/// <param name="Placed">Places sent to the venue.</param>
/// <param name="Cancelled">Cancels sent to the venue.</param>
/// <param name="Rejected">Places the venue refused while the order was still wanted.</param>
public readonly record struct OrderCounts(long Placed, long Cancelled, long Rejected = 0);
