using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Text.Json.Serialization;
using RxFeed.Health;
using RxFeed.Orders;
using RxFeed.Quoting;
using RxFeed.Testing;

namespace RxFeed.Marbles.Tests;

/// <summary>A quote update as marble files write it: <c>{"u":1,"bid":"99.90","ask":"101.10"}</c> or <c>{"cancel":true,"reason":"Stale"}</c>.</summary>
public readonly record struct QuoteLine(
    [property: JsonPropertyName("u")] long U,
    [property: JsonPropertyName("bid"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] decimal? Bid,
    [property: JsonPropertyName("ask"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] decimal? Ask,
    [property: JsonPropertyName("cancel")] bool Cancel = false,
    [property: JsonPropertyName("reason")] string? Reason = null)
{
    public static QuoteLine From(QuoteUpdate q) => new(q.UpdateId, q.Bid, q.Ask, q.IsCancel, q.Reason);

    public QuoteUpdate ToUpdate(long tsNs, decimal qty) => Cancel
        ? QuoteUpdate.Cancel("ETHUSDT", "ETHUSDT", tsNs, Reason ?? "Stale")
        : new QuoteUpdate { Symbol = "ETHUSDT", SourceSymbol = "ETHUSDT", TsNs = tsNs, UpdateId = U, Bid = Bid, Ask = Ask, BidQty = Bid is null ? null : qty, AskQty = Ask is null ? null : qty };
}

/// <summary>A health change as marble files write it: <c>{"s":"ETHUSDT","state":"Live"}</c>.</summary>
public readonly record struct HealthLine([property: JsonPropertyName("s")] string Symbol, [property: JsonPropertyName("state")] FeedState State);

/// <summary>An order action as marble files write it: <c>{"action":"Place","side":"Buy","id":"rx-1","price":"99.90"}</c>.</summary>
public readonly record struct OrderLine(
    [property: JsonPropertyName("action")] OrderAction Action,
    [property: JsonPropertyName("side")] OrderSide Side,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("price"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] decimal Price);

/// <summary>The quoting operators .marble files can name (marbles/quote-engine, track-health, manage-orders).</summary>
internal static class QuotingMarbleOperators
{
    [MarbleOperator("Quote")]
    public static IObservable<QuoteLine> Quote(
        IObservable<BookTicker> @in,
        IScheduler scheduler,
        TimeSpan staleAfter,
        int pricePrecision = 2,
        decimal venueSpreadBps = 10,
        int requoteTicks = 1,
        TimeSpan? minRequote = null,
        bool bidEnabled = true,
        bool askEnabled = true)
    {
        var options = new QuoteOptions
        {
            PricePrecision = pricePrecision,
            VenueSpreadBps = venueSpreadBps,
            RequoteTicks = requoteTicks,
            MinRequote = minRequote ?? TimeSpan.Zero,
            BidEnabled = bidEnabled,
            AskEnabled = askEnabled,
        };
        return @in.Quote(options, staleAfter, null, scheduler).Select(QuoteLine.From);
    }

    [MarbleOperator("TrackHealth")]
    public static IObservable<HealthLine> TrackHealth(IObservable<BookTicker> @in, IScheduler scheduler, TimeSpan staleAfter) =>
        @in.TrackHealth(staleAfter, null, scheduler).Select(c => new HealthLine(c.Symbol, c.State));

    /// <summary>Quotes stamped with the scheduler's clock (nanoseconds from frame 0), all of size 100; a paper venue with the latency and reject rate.</summary>
    [MarbleOperator("ManageOrders")]
    public static IObservable<OrderLine> ManageOrders(IObservable<QuoteLine> @in, IScheduler scheduler, int orderRate, TimeSpan? latency = null, double rejectRate = 0) =>
        @in.Select(q => q.ToUpdate((scheduler.Now - DateTimeOffset.UnixEpoch).Ticks * 100, 100m))
            .ManageOrders(new OrderOptions { OrderRate = orderRate, Latency = latency ?? TimeSpan.Zero, RejectRate = rejectRate }, scheduler)
            .Select(o => new OrderLine(o.Action, o.Side, o.ClientOrderId, o.Price));
}
