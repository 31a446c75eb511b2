namespace RxFeed.Orders;

/// <summary>What the order manager did.</summary>
public enum OrderAction : byte
{
    /// <summary>A new order was placed.</summary>
    Place,

    /// <summary>A live order was cancelled.</summary>
    Cancel,
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
/// <param name="Action">Place or cancel.</param>
/// <param name="Side">The order's side.</param>
/// <param name="Level">The quote level the order stands for (0 unless quotes are layered).</param>
/// <param name="ClientOrderId">The client order id.</param>
/// <param name="Price">The order's price.</param>
/// <param name="Qty">The order's size.</param>
/// <param name="TsNs">When, in nanoseconds since the Unix epoch (scheduler time).</param>
public readonly record struct OrderEvent(
    string Symbol,
    OrderAction Action,
    OrderSide Side,
    int Level,
    string ClientOrderId,
    decimal Price,
    decimal Qty,
    long TsNs);

/// <summary>Counts of what an order manager did.</summary>
/// <param name="Placed">Orders placed.</param>
/// <param name="Cancelled">Orders cancelled.</param>
public readonly record struct OrderCounts(long Placed, long Cancelled);
