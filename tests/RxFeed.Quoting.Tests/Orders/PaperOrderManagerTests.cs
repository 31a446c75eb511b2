using Microsoft.Reactive.Testing;
using RxFeed.Orders;
using static RxFeed.Quoting.Tests.Orders.OrderScript;
using static RxFeed.Quoting.Tests.Virtual;

namespace RxFeed.Quoting.Tests.Orders;

public class PaperOrderManagerTests
{
    private static string Show(OrderEvent e) => OrderScript.Show(e);

    private static List<string> Run(int rate, params QuoteUpdate[] quotes) => Run(rate, null, quotes);

    private static List<string> Run(int rate, Action<PaperOrderManager, TestScheduler>? atEnd, params QuoteUpdate[] quotes)
    {
        var scheduler = new TestScheduler();
        using var manager = new PaperOrderManager(new OrderOptions { OrderRate = rate }, scheduler);
        var seen = new List<OrderEvent>();
        using IDisposable sub = manager.Events.Subscribe(seen.Add);
        foreach (QuoteUpdate q in quotes)
        {
            scheduler.AdvanceTo(q.TsNs / 100);
            manager.Apply(q);
        }

        scheduler.AdvanceTo(60_000 * MsTicks);
        atEnd?.Invoke(manager, scheduler);
        return seen.Select(Show).ToList();
    }

    [Fact]
    public void Apply_FirstQuote_PlacesBidThenAsk()
    {
        Run(10, Q(10, 99.90m, 101.10m)).Should().Equal("10ms place Buy rx-1 99.90x100", "10ms place Sell rx-2 101.10x100");
    }

    [Fact]
    public void Apply_SameQuoteAgain_NothingHappens()
    {
        Run(10, Q(10, 99.90m, 101.10m), Q(20, 99.900m, 101.1m)).Should().HaveCount(2);
    }

    [Fact]
    public void Apply_OneSideMoves_OnlyThatOrderReplaced()
    {
        Run(10, Q(10, 99.90m, 101.10m), Q(20, 99.91m, 101.10m)).Should().Equal(
            "10ms place Buy rx-1 99.90x100", "10ms place Sell rx-2 101.10x100", "20ms cancel rx-1", "20ms place Buy rx-3 99.91x100");
    }

    [Fact]
    public void Apply_QtyChanges_Replaced()
    {
        Run(10, Q(10, 99.90m, null), Q(20, 99.90m, null, qty: 50m)).Should().Equal(
            "10ms place Buy rx-1 99.90x100", "20ms cancel rx-1", "20ms place Buy rx-2 99.90x50");
    }

    [Fact]
    public void Apply_CancelQuote_KillSwitchCancelsEverythingAtOnce()
    {
        Run(10, Q(10, 99.90m, 101.10m), Cancel(15)).Should().Equal(
            "10ms place Buy rx-1 99.90x100", "10ms place Sell rx-2 101.10x100", "15ms cancel rx-1", "15ms cancel rx-2");
    }

    [Fact]
    public void Apply_ShortOfTokens_CancelsAtOncePlacesLatestWhenRefilled()
    {
        // Rate 2: full bucket of 2 at 10ms; at 110ms 0.2 tokens, the next whole token at 510ms, the one after at 1010ms.
        Run(2, Q(10, 99.90m, 101.10m), Q(110, 99.91m, 101.11m), Q(300, 99.95m, 101.15m)).Should().Equal(
            "10ms place Buy rx-1 99.90x100",
            "10ms place Sell rx-2 101.10x100",
            "110ms cancel rx-1",
            "110ms cancel rx-2",
            "510ms place Buy rx-3 99.95x100",
            "1010ms place Sell rx-4 101.15x100");
    }

    [Fact]
    public void Apply_KillSwitchWhileWaiting_NothingPlacedLater()
    {
        Run(2, Q(10, 99.90m, 101.10m), Q(110, 99.91m, 101.11m), Cancel(200)).Should().Equal(
            "10ms place Buy rx-1 99.90x100", "10ms place Sell rx-2 101.10x100", "110ms cancel rx-1", "110ms cancel rx-2");
    }

    [Fact]
    public void Apply_BucketRefillsToCapacityOnly_NeverBeyond()
    {
        // After 10 s idle the bucket holds 2, not 20: two places at once, the third 0.5 s later.
        List<string> events = Run(2, Q(10, 1m, 2m), Cancel(20), Q(10_000, 1m, null), Q(10_000, 1m, 2m, symbol: "T"));

        events.Skip(4).Should().Equal("10000ms place Buy rx-3 1x100", "10000ms place Buy rx-4 1x100", "10500ms place Sell rx-5 2x100");
    }

    [Fact]
    public void Apply_OneTokenEveryTenthOfSecond_ExactInstants()
    {
        List<string> events = Run(10, Enumerable.Range(0, 12).Select(i => Q(1000, 1m + i, null, symbol: $"S{i}")).ToArray());

        events.Select(e => e.Split(' ')[0]).Should().Equal(Enumerable.Repeat("1000ms", 10).Append("1100ms").Append("1200ms"));
    }

    [Fact]
    public void CancelAll_GracefulStop_CancelsEverySymbolAndDropsWaits()
    {
        List<string> events = Run(1, (m, s) => m.CancelAll(Ns(70_000)), Q(10, 1m, 2m, symbol: "A"), Q(20, 3m, null, symbol: "B"));

        events.Should().Equal(
            "10ms place Buy rx-1 1x100",
            "1010ms place Sell rx-2 2x100",
            "2010ms place Buy rx-3 3x100",
            "70000ms cancel rx-1",
            "70000ms cancel rx-2",
            "70000ms cancel rx-3");
    }

    [Fact]
    public void ManageOrders_Operator_SameDecisions()
    {
        var scheduler = new TestScheduler();
        IObservable<QuoteUpdate> quotes = scheduler.CreateHotObservable(
            ReactiveTest.OnNext(Ns(10) / 100, Q(10, 99.90m, 101.10m)),
            ReactiveTest.OnNext(Ns(110) / 100, Q(110, 99.91m, 101.11m)));

        List<OrderEvent> seen = Collect(scheduler, quotes.ManageOrders(new OrderOptions { OrderRate = 2 }, scheduler));

        seen.Select(Show).Should().Equal(
            "10ms place Buy rx-1 99.90x100", "10ms place Sell rx-2 101.10x100", "110ms cancel rx-1", "110ms cancel rx-2",
            "510ms place Buy rx-3 99.91x100", "1010ms place Sell rx-4 101.11x100");
    }
}
