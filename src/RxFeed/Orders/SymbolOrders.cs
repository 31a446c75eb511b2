using RxFeed.Quoting;

namespace RxFeed.Orders;

/// <summary>What a quote wants of one order slot: a side of a level. Slot k is level k / 2, bid when k is even.</summary>
internal struct OrderSlot
{
    public bool Present;
    public decimal Price;
    public decimal Qty;
}

/// <summary>Where an order is: pending-new → live → pending-cancel → cancelled, or rejected.</summary>
internal enum OrderState : byte
{
    PendingNew,
    Live,
    PendingCancel,
    Cancelled,
    Rejected,
}

/// <summary>One order the manager sent, until the venue has answered everything sent for it.</summary>
internal sealed class OpenOrder(SymbolOrders book, int slot, OrderEvent place)
{
    public SymbolOrders Book { get; } = book;

    public int Slot { get; } = slot;

    /// <summary>Gets the place request as it was sent.</summary>
    public OrderEvent Place { get; } = place;

    public OrderState State { get; set; } = OrderState.PendingNew;

    public bool PlaceAnswered { get; set; }

    /// <summary>Gets or sets a value indicating whether the venue did not know the order when its cancel arrived (the cancel overtook the place).</summary>
    public bool CancelUnknown { get; set; }
}

/// <summary>One venue symbol's orders and what the latest quote wants.</summary>
internal sealed class SymbolOrders(string symbol)
{
    public string Symbol { get; } = symbol;

    /// <summary>Gets the order standing for each slot (pending-new or live), or null.</summary>
    public OpenOrder?[] Orders { get; private set; } = new OpenOrder?[2];

    /// <summary>Gets, per slot, whether a place sent for it still waits for its answer: the slot sends no other place till then.</summary>
    public bool[] PlaceInFlight { get; private set; } = new bool[2];

    public OrderSlot[] Desired { get; private set; } = new OrderSlot[2];

    /// <summary>Gets or sets a value indicating whether a wanted order waits for a token.</summary>
    public bool Waiting { get; set; }

    public void EnsureLevels(int levels)
    {
        if (2 * levels > Orders.Length)
        {
            OpenOrder?[] orders = Orders;
            bool[] inFlight = PlaceInFlight;
            OrderSlot[] desired = Desired;
            Array.Resize(ref orders, 2 * levels);
            Array.Resize(ref inFlight, 2 * levels);
            Array.Resize(ref desired, 2 * levels);
            Orders = orders;
            PlaceInFlight = inFlight;
            Desired = desired;
        }
    }

    public void ClearDesired() => Array.Clear(Desired);

    public void SetDesired(in QuoteUpdate quote)
    {
        Array.Clear(Desired);
        for (int level = 0; level < quote.LevelCount; level++)
        {
            QuoteLevel q = quote.Level(level);
            if (q.Bid is { } bid && q.BidQty is { } bidQty)
            {
                Desired[2 * level] = new OrderSlot { Present = true, Price = bid, Qty = bidQty };
            }

            if (q.Ask is { } ask && q.AskQty is { } askQty)
            {
                Desired[(2 * level) + 1] = new OrderSlot { Present = true, Price = ask, Qty = askQty };
            }
        }
    }
}
