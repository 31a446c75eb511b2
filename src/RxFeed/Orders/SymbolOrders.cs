using RxFeed.Quoting;

namespace RxFeed.Orders;

/// <summary>One order slot: a side of a level. Slot k is level k / 2, bid when k is even.</summary>
internal struct OrderSlot
{
    public bool Present;
    public decimal Price;
    public decimal Qty;
    public string? Id;
}

/// <summary>One venue symbol's live orders and what the latest quote wants.</summary>
internal sealed class SymbolOrders(string symbol)
{
    public string Symbol { get; } = symbol;

    public OrderSlot[] Live { get; private set; } = new OrderSlot[2];

    public OrderSlot[] Desired { get; private set; } = new OrderSlot[2];

    /// <summary>Gets or sets a value indicating whether a wanted order waits for a token.</summary>
    public bool Waiting { get; set; }

    public void EnsureLevels(int levels)
    {
        if (2 * levels > Live.Length)
        {
            OrderSlot[] live = Live, desired = Desired;
            Array.Resize(ref live, 2 * levels);
            Array.Resize(ref desired, 2 * levels);
            Live = live;
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
