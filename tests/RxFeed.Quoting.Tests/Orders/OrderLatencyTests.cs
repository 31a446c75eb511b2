using Microsoft.Reactive.Testing;
using RxFeed.Orders;
using static RxFeed.Quoting.Tests.Orders.OrderScript;
using static RxFeed.Quoting.Tests.Virtual;

namespace RxFeed.Quoting.Tests.Orders;

/// <summary>The order manager against a venue that answers later and may refuse, in virtual time.</summary>
public class OrderLatencyTests
{
    private static OrderOptions Slow(int rate = 10, double rejectRate = 0, int latencyMs = 50) =>
        new() { OrderRate = rate, Latency = TimeSpan.FromMilliseconds(latencyMs), RejectRate = rejectRate };

    [Fact]
    public void Apply_StaleWhilePlacesInFlight_CancelsAtOnceAndTheLateAcksAreNotKept()
    {
        // The places are answered at 60ms; the kill switch at 30ms does not wait for them. Had an ack revived its order,
        // the same quote at 100ms would find it live and place nothing.
        (List<OrderEvent> events, OrderCounts counts) = Run(Slow(), Q(10, 99.90m, 101.10m), Cancel(30), Q(100, 99.90m, 101.10m));

        events.Select(Show).Should().Equal(
            "10ms place Buy rx-1 99.90x100",
            "10ms place Sell rx-2 101.10x100",
            "30ms cancel rx-1",
            "30ms cancel rx-2",
            "100ms place Buy rx-3 99.90x100",
            "100ms place Sell rx-4 101.10x100");
        counts.Should().Be(new OrderCounts(4, 2, 0));
    }

    [Fact]
    public void Apply_RequotesWhileAPlaceIsInFlight_CancelsAtOnceThenPlacesOnlyTheLatestOnTheAck()
    {
        (List<OrderEvent> events, _) = Run(Slow(), Q(10, 99.90m, null), Q(20, 99.91m, null), Q(30, 99.92m, null), Q(40, 99.95m, null));

        events.Select(Show).Should().Equal("10ms place Buy rx-1 99.90x100", "20ms cancel rx-1", "60ms place Buy rx-2 99.95x100");
    }

    [Fact]
    public void Apply_QuoteUnchangedWhileThePlaceIsInFlight_OrderKeptNoSecondPlace()
    {
        (List<OrderEvent> events, _) = Run(Slow(), Q(10, 99.90m, null), Q(20, 99.90m, null), Q(200, 99.90m, null));

        events.Select(Show).Should().Equal("10ms place Buy rx-1 99.90x100");
    }

    [Fact]
    public void Apply_PlaceRefused_CountedAndPlacedAgainOnlyOnTheNextQuotePacedByTokens()
    {
        // Rate 1: the token of 10ms is spent, the next one comes at 1010ms. Nothing is retried between the refusal at
        // 60ms and the quote at 100ms.
        (List<OrderEvent> events, OrderCounts counts) = Run(Slow(rate: 1, rejectRate: 1), Q(10, 99.90m, null), Q(100, 99.90m, null));

        events.Select(Show).Should().Equal("10ms place Buy rx-1 99.90x100", "60ms rejected rx-1", "1010ms place Buy rx-2 99.90x100", "1060ms rejected rx-2");
        counts.Should().Be(new OrderCounts(2, 0, 2));
    }

    [Fact]
    public void Apply_PlaceRefusedAfterItsCancelWasSent_NoRejectedLine()
    {
        (List<OrderEvent> events, OrderCounts counts) = Run(Slow(rejectRate: 1), Q(10, 99.90m, null), Cancel(20));

        events.Select(Show).Should().Equal("10ms place Buy rx-1 99.90x100", "20ms cancel rx-1");
        counts.Should().Be(new OrderCounts(1, 1, 0), "every place is closed by exactly one cancel or one rejected");
    }

    [Fact]
    public void Apply_SomePlacesRefused_EveryPlaceClosedOnceAndTimesNeverDecrease()
    {
        QuoteUpdate[] quotes = Enumerable.Range(1, 400)
            .Select(i => i % 50 == 0 ? Cancel(i * 100) : Q(i * 100, 100m + (i % 7), 101m + (i % 5)))
            .ToArray();

        (List<OrderEvent> events, OrderCounts counts) = Run(Slow(rate: 20, rejectRate: 0.3, latencyMs: 70), m => m.CancelAll(Ns(60_000)), quotes);

        counts.Rejected.Should().BeInRange(counts.Placed / 10, counts.Placed / 2, "a third of the places are refused");
        counts.Placed.Should().Be(counts.Cancelled + counts.Rejected, "a graceful stop closes every order, each by one line");
        events.Select(e => e.TsNs).Should().BeInAscendingOrder();
        events.GroupBy(e => e.ClientOrderId).Should().OnlyContain(g => g.Count() == 2 && g.First().Action == OrderAction.Place);
    }

    [Fact]
    public void Apply_SameSeed_SameRefusals()
    {
        QuoteUpdate[] quotes = Enumerable.Range(1, 100).Select(i => Q(i * 150, 100m + (i % 3), null)).ToArray();

        List<string> first = Run(Slow(rejectRate: 0.5), quotes).Events.Select(Show).ToList();
        List<string> second = Run(Slow(rejectRate: 0.5), quotes).Events.Select(Show).ToList();

        first.Should().Contain(l => l.Contains("rejected", StringComparison.Ordinal)).And.Equal(second);
    }

    [Fact]
    public void CancelAll_PlacesInFlight_CancelledAtOnceNothingPlacedAfter()
    {
        // At 60000ms rx-3's place is still in flight (answered at 60030ms) and A's new bid waits for the token of 60990ms.
        (List<OrderEvent> events, OrderCounts counts) = Run(
            Slow(rate: 1),
            m => m.CancelAll(Ns(60_000)),
            Q(10, 1m, 2m, symbol: "A"),
            Q(59_980, 3m, null, symbol: "B"),
            Q(59_990, 4m, 2m, symbol: "A"));

        events.Select(Show).Should().Equal(
            "10ms place Buy rx-1 1x100",
            "1010ms place Sell rx-2 2x100",
            "59980ms place Buy rx-3 3x100",
            "59990ms cancel rx-1",
            "60000ms cancel rx-2",
            "60000ms cancel rx-3");
        counts.Should().Be(new OrderCounts(3, 3, 0));
    }

    [Fact]
    public void Apply_TickReceivedBeforeATimerDrivenPlace_CancelNotStampedBeforeThePlace()
    {
        // Rate 1: the replacement of rx-1 waits for the token of 1010ms. A Stale cancel stamped 1005ms is delivered after
        // that place (in run, a tick's receive time lags the timers): its cancel is stamped 1010ms, not 1005ms.
        var scheduler = new TestScheduler();
        using var manager = new PaperOrderManager(new OrderOptions { OrderRate = 1 }, scheduler);
        var seen = new List<OrderEvent>();
        using IDisposable sub = manager.Events.Subscribe(seen.Add);
        scheduler.AdvanceTo(10 * MsTicks);
        manager.Apply(Q(10, 1m, null));
        scheduler.AdvanceTo(110 * MsTicks);
        manager.Apply(Q(110, 2m, null));
        scheduler.AdvanceTo(1020 * MsTicks);

        manager.Apply(Cancel(1005));

        seen.Select(Show).Should().Equal("10ms place Buy rx-1 1x100", "110ms cancel rx-1", "1010ms place Buy rx-2 2x100", "1010ms cancel rx-2");
    }

    [Fact]
    public void CancelAll_StampedBeforeTheLastEvent_StampedWithTheLastEvent()
    {
        (List<OrderEvent> events, _) = Run(new OrderOptions(), m => m.CancelAll(Ns(5)), Q(10, 1m, null));

        events.Select(Show).Should().Equal("10ms place Buy rx-1 1x100", "10ms cancel rx-1");
    }

    [Fact]
    public void Apply_CancelOvertookItsPlaceAtTheVenue_TheLateAckIsCancelledAtOnce()
    {
        // A real venue can judge a cancel before the place it follows: it knows no such order, then rests the order.
        var scheduler = new TestScheduler();
        var venue = new ScriptedVenue();
        using var manager = new PaperOrderManager(new OrderOptions(), scheduler, venue);
        var seen = new List<OrderEvent>();
        using IDisposable sub = manager.Events.Subscribe(seen.Add);
        manager.Apply(Q(10, 1m, null));
        manager.Apply(Cancel(20));

        venue.Answer("rx-1", OrderAction.Cancel, accepted: false, atMs: 30);
        venue.Answer("rx-1", OrderAction.Place, accepted: true, atMs: 40);

        seen.Select(Show).Should().Equal("10ms place Buy rx-1 1x100", "20ms cancel rx-1", "40ms cancel rx-1");
    }

    [Fact]
    public void Apply_AnswersAfterDispose_Ignored()
    {
        var venue = new ScriptedVenue();
        var manager = new PaperOrderManager(new OrderOptions(), new TestScheduler(), venue);
        var seen = new List<OrderEvent>();
        manager.Events.Subscribe(seen.Add, () => seen.Add(default));
        manager.Apply(Q(10, 1m, null));
        manager.Dispose();

        venue.Answer("rx-1", OrderAction.Place, accepted: false, atMs: 60);

        seen.Should().HaveCount(2).And.EndWith(default(OrderEvent));
    }

    [Fact]
    public void PaperVenue_Latency_AnswersThatLaterCancelOfUnknownOrderRefused()
    {
        var scheduler = new TestScheduler();
        var venue = new PaperVenue(new OrderOptions { Latency = TimeSpan.FromMilliseconds(50) }, scheduler);
        var place = new OrderEvent("S", OrderAction.Place, OrderSide.Buy, 0, "rx-1", 1m, 1m, Ns(10));
        var answers = new List<VenueReply>();

        scheduler.AdvanceTo(10 * MsTicks);
        venue.Send(place).Subscribe(answers.Add);
        venue.Send(place with { Action = OrderAction.Cancel, ClientOrderId = "rx-9" }).Subscribe(answers.Add);
        venue.Send(place with { Action = OrderAction.Cancel }).Subscribe(answers.Add);
        scheduler.AdvanceTo(59 * MsTicks);
        answers.Should().BeEmpty();
        scheduler.AdvanceTo(60 * MsTicks);

        answers.Should().Equal(new VenueReply(true, Ns(60)), new VenueReply(false, Ns(60)), new VenueReply(true, Ns(60)));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Validate_RejectRateOutsideZeroToOne_Throws(double rate)
    {
        Action validate = () => new OrderOptions { RejectRate = rate }.Validate();

        validate.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(OrderOptions.RejectRate));
    }

    [Fact]
    public void Validate_NegativeLatency_Throws()
    {
        Action validate = () => new OrderOptions { Latency = TimeSpan.FromMilliseconds(-1) }.Validate();

        validate.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(OrderOptions.Latency));
    }

    /// <summary>A venue the test answers by hand, in any order.</summary>
    private sealed class ScriptedVenue : IOrderVenue
    {
        private readonly Dictionary<(string, OrderAction), IObserver<VenueReply>> _waiting = [];

        public IObservable<VenueReply> Send(OrderEvent request) => System.Reactive.Linq.Observable.Create<VenueReply>(observer =>
        {
            _waiting[(request.ClientOrderId, request.Action)] = observer;
            return System.Reactive.Disposables.Disposable.Empty;
        });

        public void Answer(string id, OrderAction action, bool accepted, long atMs)
        {
            IObserver<VenueReply> observer = _waiting[(id, action)];
            _waiting.Remove((id, action));
            observer.OnNext(new VenueReply(accepted, Ns(atMs)));
            observer.OnCompleted();
        }
    }
}
