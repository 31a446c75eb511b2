using System.Reactive.Subjects;
using RxFeed.Health;
using RxFeed.Orders;
using RxFeed.Time;

namespace RxFeed.Quoting.Tests.Quoting;

/// <summary>
/// In virtual time: a candidate that would cross the market or itself is never quoted (counted, the live quote pulled once
/// with reason Crossing, the next good tick quoted at once), and quote/health events are stamped no earlier than the one
/// before. Prices: anchor −20 bps, venue 0, precision 2: b=100 → bid 100.20, a=101 → ask 100.80 (ask 100.80 > bid 100.20).
/// </summary>
public sealed class CrossingRefusalTests
{
    private const long T0 = 1_723_161_254_024_619_568;
    private const long Ms = 1_000_000;

    private static readonly QuoteOptions Narrowing = new() { AnchorBps = -20m, VenueSpreadBps = 0m, PricePrecision = 2 };

    private static BookTicker Tick(long ns, long u, decimal bid, decimal ask) => new("ETHUSDT", u, bid, 1m, ask, 1m, ns, bid >= ask);

    [Fact]
    public void Crossing_LiveQuote_NotQuotedPulledOnceWithReasonCrossingAndTheNextGoodTickQuotedAtOnce()
    {
        using var run = new Run(Narrowing);

        run.Feed(
            Tick(T0 + (1 * Ms), 1, 100m, 101m),     // 100.20/100.80: quoted
            Tick(T0 + (2 * Ms), 2, 100m, 100.1m),   // bid 100.20 >= market ask 100.1: crosses the market
            Tick(T0 + (3 * Ms), 3, 100m, 100.3m),   // 100.20/100.10: crosses itself (bid >= ask), not the market
            Tick(T0 + (4 * Ms), 4, 100.01m, 101m)); // 100.21/100.80: quoted at once

        run.Quotes.Select(Show).Should().Equal($"{T0 + (1 * Ms)}:1 100.20/100.80", $"{T0 + (2 * Ms)}:cancel Crossing", $"{T0 + (4 * Ms)}:4 100.21/100.80");
        run.Session.CrossingRefusedCount.Should().Be(2);
        run.Health.Select(h => h.State).Should().Equal([FeedState.Live], "a crossing candidate is not a health change");
        run.Orders.Where(o => o.Action == OrderAction.Cancel).Select(o => o.TsNs).Should().Equal([T0 + (2 * Ms), T0 + (2 * Ms)], "both orders go with the pulled quote");
    }

    [Fact]
    public void Crossing_NoLiveQuote_CountedButNoCancelLine()
    {
        using var run = new Run(Narrowing);

        run.Feed(Tick(T0 + (1 * Ms), 1, 100m, 100.1m), Tick(T0 + (2 * Ms), 2, 100m, 100.05m), Tick(T0 + (3 * Ms), 3, 100m, 101m));

        run.Quotes.Select(Show).Should().Equal($"{T0 + (3 * Ms)}:3 100.20/100.80");
        run.Session.CrossingRefusedCount.Should().Be(2);
    }

    [Fact]
    public void Crossing_InsideMinRequoteInterval_DropsThePendingAndTheIntervalSoTheNextGoodTickQuotesAtOnce()
    {
        var options = new QuoteOptions { AnchorBps = -20m, VenueSpreadBps = 0m, PricePrecision = 2, MinRequote = TimeSpan.FromMilliseconds(100) };
        using var run = new Run(options);

        run.Feed(
            Tick(T0 + (1 * Ms), 1, 100m, 101m),     // quoted: interval [1, 101)
            Tick(T0 + (2 * Ms), 2, 100.01m, 101m),  // pending
            Tick(T0 + (3 * Ms), 3, 100m, 100.1m),   // crosses: pulled, pending and interval dropped
            Tick(T0 + (4 * Ms), 4, 100.02m, 101m)); // quoted at once, not at 101
        run.Scheduler.AdvanceTo(T0 + (500 * Ms));

        run.Quotes.Select(Show).Should().Equal(
            $"{T0 + (1 * Ms)}:1 100.20/100.80", $"{T0 + (3 * Ms)}:cancel Crossing", $"{T0 + (4 * Ms)}:4 100.22/100.80");
    }

    [Fact]
    public void Monotonic_TickStampedBeforeATimerEventThatAlreadyFired_ItsEventsCarryTheTimersTs()
    {
        using var run = new Run(new QuoteOptions { PricePrecision = 2 }, staleAfter: TimeSpan.FromMilliseconds(10));

        run.Feed(Tick(T0 + (1 * Ms), 1, 100m, 101m));
        run.Scheduler.AdvanceTo(T0 + (12 * Ms)); // Stale fires at its due time, 11 ms

        // Received at 9 ms but reaching the quoting thread after the 11 ms timer (a queue in between): its events say 11 ms.
        run.Ticks.OnNext(Tick(T0 + (9 * Ms), 2, 100.01m, 101m));

        run.Health.Select(h => (h.State, h.TsNs)).Should().Equal((FeedState.Live, T0 + (1 * Ms)), (FeedState.Stale, T0 + (11 * Ms)), (FeedState.Live, T0 + (11 * Ms)));
        run.Quotes.Select(Show).Should().Equal($"{T0 + (1 * Ms)}:1 99.90/101.10", $"{T0 + (11 * Ms)}:cancel Stale", $"{T0 + (11 * Ms)}:2 99.91/101.10");
        run.Orders.Select(o => o.TsNs).Should().BeInAscendingOrder();
    }

    private static string Show(QuoteUpdate q) => q.IsCancel
        ? $"{q.TsNs}:cancel {q.Reason}"
        : $"{q.TsNs}:{q.UpdateId} {q.Bid}/{q.Ask}";

    /// <summary>A quoting session on a replay clock, everything it emits collected.</summary>
    private sealed class Run : IDisposable
    {
        private readonly System.Reactive.Disposables.CompositeDisposable _subscriptions;

        public Run(QuoteOptions options, TimeSpan? staleAfter = null)
        {
            Session = QuotingSession.Attach(Ticks, new QuotingSessionOptions { Quote = options, StaleAfter = staleAfter ?? TimeSpan.FromSeconds(10) }, null, Scheduler);
            _subscriptions = new System.Reactive.Disposables.CompositeDisposable(
                Session.Quotes.Subscribe(Quotes.Add), Session.Health.Subscribe(Health.Add), Session.Orders.Subscribe(Orders.Add), Session.Start());
        }

        public ReplayScheduler Scheduler { get; } = new(T0);

        public Subject<BookTicker> Ticks { get; } = new();

        public QuotingSession Session { get; }

        public List<QuoteUpdate> Quotes { get; } = [];

        public List<HealthChange> Health { get; } = [];

        public List<OrderEvent> Orders { get; } = [];

        public void Feed(params BookTicker[] ticks)
        {
            foreach (BookTicker t in ticks)
            {
                Scheduler.AdvanceTo(t.ReceivedNs);
                Ticks.OnNext(t);
            }
        }

        public void Dispose()
        {
            _subscriptions.Dispose();
            Session.Dispose();
            Ticks.Dispose();
        }
    }
}
