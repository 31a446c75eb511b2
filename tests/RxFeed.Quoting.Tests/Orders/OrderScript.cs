using Microsoft.Reactive.Testing;
using RxFeed.Orders;
using static RxFeed.Quoting.Tests.Virtual;

namespace RxFeed.Quoting.Tests.Orders;

/// <summary>Quote updates and order events for the order manager's tests, in milliseconds of virtual time.</summary>
internal static class OrderScript
{
    public static QuoteUpdate Q(long ms, decimal? bid, decimal? ask, decimal qty = 100m, string symbol = "S") => new()
    {
        Symbol = symbol,
        SourceSymbol = symbol,
        TsNs = Ns(ms),
        UpdateId = ms,
        Bid = bid,
        Ask = ask,
        BidQty = bid is null ? null : qty,
        AskQty = ask is null ? null : qty,
    };

    public static QuoteUpdate Cancel(long ms, string symbol = "S") => QuoteUpdate.Cancel(symbol, symbol, Ns(ms), "Stale");

    public static string Show(OrderEvent e) => e.Action switch
    {
        OrderAction.Place => $"{e.TsNs / 1_000_000}ms place {e.Side} {e.ClientOrderId} {e.Price}x{e.Qty}",
        OrderAction.Cancel => $"{e.TsNs / 1_000_000}ms cancel {e.ClientOrderId}",
        _ => $"{e.TsNs / 1_000_000}ms rejected {e.ClientOrderId}",
    };

    /// <summary>Applies each quote when the scheduler reaches its time, then runs to 60 s.</summary>
    public static (List<OrderEvent> Events, OrderCounts Counts) Run(OrderOptions options, params QuoteUpdate[] quotes) => Run(options, null, quotes);

    public static (List<OrderEvent> Events, OrderCounts Counts) Run(OrderOptions options, Action<PaperOrderManager>? atEnd, params QuoteUpdate[] quotes)
    {
        var scheduler = new TestScheduler();
        using var manager = new PaperOrderManager(options, scheduler);
        var seen = new List<OrderEvent>();
        using IDisposable sub = manager.Events.Subscribe(seen.Add);
        foreach (QuoteUpdate q in quotes)
        {
            scheduler.AdvanceTo(q.TsNs / 100);
            manager.Apply(q);
        }

        scheduler.AdvanceTo(60_000 * MsTicks);
        atEnd?.Invoke(manager);
        scheduler.AdvanceTo(61_000 * MsTicks);
        return (seen, manager.Counts);
    }
}
