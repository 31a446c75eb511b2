using System.Reactive.Linq;
using Microsoft.Reactive.Testing;
using RxFeed.Tests.Support;

namespace RxFeed.Tests.Book;

/// <summary><c>ToBookViews</c> and <c>ToTrades</c> over the shared capture's frames.</summary>
public sealed class BookStreamTests
{
    [Fact]
    public void ToBookViews_Capture_OneViewPerAppliedEvent_EqualToTheRecomputation()
    {
        var oracle = BookOracle.Run(Frames.Capture, 5);
        IList<BookView> views = Frames.Capture.Select(Frames.FrameOf).ToObservable().ToBookViews(5, scheduler: new TestScheduler()).ToList().Wait();

        views.Should().HaveCount(oracle.Applied.Count);
        views.Should().OnlyContain(v => v.IsSynced && !v.IsCrossed && v.Symbol == "ETHUSDT");
        views.Select(v => (v.UpdateId, BookOracle.Top(v.Bids.Select(l => (l.Price, l.Quantity)), v.Asks.Select(l => (l.Price, l.Quantity)))))
            .Should().Equal(oracle.Applied.Select(a => (a.U, a.Top)));
    }

    [Fact]
    public void ToBookViews_DroppedDiff_AnUnsyncedEmptyViewAtTheGap_NoSyncedViewAfter()
    {
        List<string> lines = [.. Frames.Capture];
        int[] depth = [.. Enumerable.Range(0, lines.Count).Where(i => lines[i].Contains("@depth", StringComparison.Ordinal))];
        lines.RemoveAt(depth[300]);
        IList<BookView> views = lines.Select(Frames.FrameOf).ToObservable().ToBookViews(5, scheduler: new TestScheduler()).ToList().Wait();

        views.Should().HaveCount(298 + 1);
        views[^1].Should().Match<BookView>(v => !v.IsSynced && v.Bids.Count == 0 && v.Asks.Count == 0);
        views.Take(298).Should().OnlyContain(v => v.IsSynced);
    }

    [Fact]
    public void ToTrades_CaptureTwice_EveryTradeOnceInRisingIdOrder()
    {
        IEnumerable<string> frames = Frames.Capture.Select(Frames.FrameOf);
        IList<Trade> trades = frames.Concat(frames).ToObservable().ToTrades(new TestScheduler()).ToList().Wait();

        trades.Should().HaveCount(6106, "the second copy's trades repeat ids already delivered");
        trades.Select(t => t.TradeId).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        (trades[0] with { ReceivedNs = 0 }).Should().Be(new Trade("ETHUSDT", 1520538925, 2683.8m, 0.002m, 1723161255611, true, trades[0].BuyerOrderId, trades[0].SellerOrderId, 0));
    }
}
