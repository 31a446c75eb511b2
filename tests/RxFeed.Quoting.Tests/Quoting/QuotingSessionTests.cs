using System.Reactive.Subjects;
using System.Text;
using RxFeed.Health;
using RxFeed.Orders;
using RxFeed.Output;
using RxFeed.Time;

namespace RxFeed.Quoting.Tests.Quoting;

public class QuotingSessionTests
{
    private const long T0 = 1_723_161_254_024_619_568;

    private static BookTicker Tick(long ns, long u, decimal bid, decimal ask = 101m) => new("ETHUSDT", u, bid, 1m, ask, 1m, ns, bid >= ask);

    [Fact]
    public void Quote_ReplaySchedulerOddNanoseconds_TrailingQuoteAtExactlyEPlusMin()
    {
        var scheduler = new ReplayScheduler(T0);
        using var ticks = new Subject<BookTicker>();
        var seen = new List<QuoteUpdate>();
        var options = new QuoteOptions { PricePrecision = 2, MinRequote = TimeSpan.FromMilliseconds(250) };
        using IDisposable sub = ticks.Quote(options, TimeSpan.FromSeconds(10), null, scheduler).Subscribe(seen.Add);

        foreach (BookTicker t in new[] { Tick(T0, 1, 100m), Tick(T0 + 100_000_001, 2, 100.01m) })
        {
            scheduler.AdvanceTo(t.ReceivedNs);
            ticks.OnNext(t);
        }

        scheduler.AdvanceTo(T0 + 20_000_000_000);

        seen.Select(q => (q.TsNs, q.UpdateId, q.IsCancel)).Should().Equal(
            (T0, 1L, false), (T0 + 250_000_000, 2L, false), (T0 + 100_000_001 + 10_000_000_000, 0L, true));
    }

    [Fact]
    public void Session_StaleCancel_KillSwitchCancelsOrdersAtTheSameInstant()
    {
        var scheduler = new ReplayScheduler(T0);
        using var ticks = new Subject<BookTicker>();
        using var session = QuotingSession.Attach(ticks, new QuotingSessionOptions { StaleAfter = TimeSpan.FromSeconds(1) }, null, scheduler);
        var orders = new List<OrderEvent>();
        var health = new List<HealthChange>();
        using IDisposable a = session.Orders.Subscribe(orders.Add);
        using IDisposable b = session.Health.Subscribe(health.Add);
        using IDisposable run = session.Start();

        ticks.OnNext(Tick(T0, 1, 100m));
        scheduler.AdvanceTo(T0 + 5_000_000_000);
        session.Stop();

        orders.Select(o => (o.Action, o.TsNs)).Should().Equal(
            (OrderAction.Place, T0), (OrderAction.Place, T0), (OrderAction.Cancel, T0 + 1_000_000_000), (OrderAction.Cancel, T0 + 1_000_000_000));
        health.Select(h => h.State).Should().Equal(FeedState.Live, FeedState.Stale);
        (session.QuoteCount, session.QuoteCancelCount, session.StaleCount, session.OrderCounts).Should().Be((1L, 1L, 1L, new OrderCounts(2, 2)));
    }

    [Fact]
    public void Session_OrderLatency_QuotesKeepTickTimesAndStaleCancelsThePlaceInFlightAtOnce()
    {
        const long Ms = 1_000_000;
        var scheduler = new ReplayScheduler(T0);
        using var ticks = new Subject<BookTicker>();
        var options = new QuotingSessionOptions
        {
            StaleAfter = TimeSpan.FromMilliseconds(60),
            Quote = new QuoteOptions { PricePrecision = 2 },
            Orders = new OrderOptions { Latency = TimeSpan.FromMilliseconds(50) },
        };
        using var session = QuotingSession.Attach(ticks, options, null, scheduler);
        var orders = new List<OrderEvent>();
        var quotes = new List<QuoteUpdate>();
        using IDisposable a = session.Orders.Subscribe(orders.Add);
        using IDisposable b = session.Quotes.Subscribe(quotes.Add);
        using IDisposable run = session.Start();

        foreach (BookTicker t in new[] { Tick(T0, 1, 100m), Tick(T0 + (10 * Ms), 2, 100.2m), Tick(T0 + (20 * Ms), 3, 100.4m) })
        {
            scheduler.AdvanceTo(t.ReceivedNs);
            ticks.OnNext(t);
        }

        scheduler.AdvanceTo(T0 + (1000 * Ms));

        quotes.Select(q => (q.TsNs, q.UpdateId)).Should().Equal((T0, 1L), (T0 + (10 * Ms), 2L), (T0 + (20 * Ms), 3L), (T0 + (80 * Ms), 0L));
        orders.Select(o => (o.Action, o.ClientOrderId, o.TsNs)).Should().Equal(
            (OrderAction.Place, "rx-1", T0),
            (OrderAction.Place, "rx-2", T0),
            (OrderAction.Cancel, "rx-1", T0 + (10 * Ms)),
            (OrderAction.Place, "rx-3", T0 + (50 * Ms)),
            (OrderAction.Cancel, "rx-3", T0 + (80 * Ms)),
            (OrderAction.Cancel, "rx-2", T0 + (80 * Ms)));
        orders[3].Price.Should().Be(quotes[2].Bid, "the slot places the latest quote once rx-1's place is answered");
    }

    [Fact]
    public void Session_Stop_CancelsEverythingAtTheGivenInstant()
    {
        var scheduler = new ReplayScheduler(T0);
        using var ticks = new Subject<BookTicker>();
        using var session = QuotingSession.Attach(ticks, new QuotingSessionOptions(), null, scheduler);
        var orders = new List<OrderEvent>();
        using IDisposable a = session.Orders.Subscribe(orders.Add);
        using IDisposable run = session.Start();

        ticks.OnNext(Tick(T0, 1, 100m));
        session.Stop(T0 + 7);

        orders.Where(o => o.Action == OrderAction.Cancel).Select(o => o.TsNs).Should().Equal(T0 + 7, T0 + 7);
    }

    [Fact]
    public void Ndjson_Lines_ExactShapes()
    {
        using var buffer = new MemoryStream();
        using (OutputWriter<QuoteUpdate> q = QuotingNdjson.Quotes(buffer))
        {
            q.OnNext(QuoteUpdate.Cancel("ADAUSDT", "ADAUSDT", 5, "Crossed"));
        }

        using (OutputWriter<OrderEvent> o = QuotingNdjson.Orders(buffer))
        {
            o.OnNext(new OrderEvent("ADAUSDT", OrderAction.Cancel, OrderSide.Sell, 0, "rx-9", 0.358916m, 100m, 6));
            o.OnNext(new OrderEvent("ADAUSDT", OrderAction.Place, OrderSide.Sell, 0, "rx-10", 0.358916m, 100m, 7));
        }

        using (OutputWriter<HealthChange> h = QuotingNdjson.Health(buffer))
        {
            h.OnNext(new HealthChange("ADAUSDT", FeedState.Recovering, "1006", 8));
        }

        Encoding.UTF8.GetString(buffer.ToArray()).Should().Be(
            "{\"ts\":5,\"s\":\"ADAUSDT\",\"cancel\":true,\"reason\":\"Crossed\"}\n" +
            "{\"ts\":6,\"s\":\"ADAUSDT\",\"action\":\"cancel\",\"id\":\"rx-9\"}\n" +
            "{\"ts\":7,\"s\":\"ADAUSDT\",\"action\":\"place\",\"side\":\"sell\",\"id\":\"rx-10\",\"price\":\"0.358916\",\"qty\":\"100\"}\n" +
            "{\"ts\":8,\"s\":\"ADAUSDT\",\"state\":\"Recovering\",\"reason\":\"1006\"}\n");
    }

    [Fact]
    public void Ndjson_LayeredQuote_LevelsArrayAfterLevelZero()
    {
        var scheduler = new ReplayScheduler();
        using var ticks = new Subject<BookTicker>();
        var seen = new List<QuoteUpdate>();
        var options = new QuoteOptions { PricePrecision = 1, Layers = 2, LayerStepBps = 100m, AskEnabled = false };
        using IDisposable sub = ticks.Quote(options, TimeSpan.FromSeconds(1), null, scheduler).Subscribe(seen.Add);
        ticks.OnNext(Tick(3, 1, 100m));

        using var buffer = new MemoryStream();
        using (OutputWriter<QuoteUpdate> q = QuotingNdjson.Quotes(buffer))
        {
            q.OnNext(seen.Single());
        }

        Encoding.UTF8.GetString(buffer.ToArray()).Should().Be(
            "{\"ts\":3,\"s\":\"ETHUSDT\",\"u\":1,\"bid\":\"99.9\",\"bidQty\":\"100\",\"levels\":[{\"bid\":\"99.9\",\"bidQty\":\"100\"},{\"bid\":\"98.9\",\"bidQty\":\"200\"}]}\n");
    }

    [Fact]
    public void Quote_UnstampedTicks_StampedWithTheSchedulerClock()
    {
        var scheduler = new ReplayScheduler(T0);
        using var ticks = new Subject<BookTicker>();
        var seen = new List<QuoteUpdate>();
        using IDisposable sub = ticks.Quote(new QuoteOptions { PricePrecision = 2 }, TimeSpan.FromSeconds(1), null, scheduler).Subscribe(seen.Add);

        ticks.OnNext(Tick(0, 1, 100m));
        scheduler.AdvanceTo(T0 + 5_000_000_000);

        seen.Select(q => (q.TsNs, q.IsCancel)).Should().Equal((T0, false), (T0 + 1_000_000_000, true));
    }
}
