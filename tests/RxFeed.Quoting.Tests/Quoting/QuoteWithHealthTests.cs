using System.Reactive.Subjects;
using Microsoft.Reactive.Testing;
using RxFeed.Health;
using static RxFeed.Quoting.Tests.Virtual;

namespace RxFeed.Quoting.Tests.Quoting;

/// <summary>The two-input form: ticks plus an external health stream.</summary>
public class QuoteWithHealthTests
{
    private static readonly QuoteOptions P2 = new() { PricePrecision = 2, MinRequote = TimeSpan.FromMilliseconds(100) };

    private static readonly BookTicker[] Scenario =
    [
        Tick(10, 1, 100m, 101m),
        Tick(50, 2, 100.01m, 101m),
        Tick(300, 3, 101m, 100m),     // crossed
        Tick(400, 4, 100m, 101m),     // Live again
        Tick(2000, 5, 100.02m, 101m), // after Stale at 1400
    ];

    [Fact]
    public void Quote_HealthFromTrackHealth_SameAsTheIntegratedEngine()
    {
        var scheduler = new TestScheduler();
        IObservable<BookTicker> ticks = Hot(scheduler, Scenario);
        IObservable<HealthChange> health = ticks.TrackHealth(TimeSpan.FromSeconds(1), null, scheduler);
        List<string> twoInput = Collect(scheduler, ticks.Quote(health, P2, scheduler), 2999).Select(Show).ToList();

        List<string> integrated = Quotes(P2, Scenario, staleAfterMs: 1000, untilMs: 2999).Select(Show).ToList();

        twoInput.Should().Equal(integrated).And.Equal(
            $"{Ns(10)}:1 99.90/101.10",
            $"{Ns(110)}:2 99.91/101.10",
            $"{Ns(300)}:cancel Crossed",
            $"{Ns(400)}:4 99.90/101.10",
            $"{Ns(1400)}:cancel Stale",
            $"{Ns(2000)}:5 99.92/101.10");
    }

    [Fact]
    public void Quote_TickArrivesBeforeItsLiveChange_QuotedWhenLiveArrivesWithTheTickTs()
    {
        var scheduler = new TestScheduler();
        using var ticks = new Subject<BookTicker>();
        using var health = new Subject<HealthChange>();
        var seen = new List<QuoteUpdate>();
        using IDisposable sub = ticks.Quote(health, P2, scheduler).Subscribe(seen.Add);

        BookTicker first = Tick(10, 1, 100m, 101m);
        ticks.OnNext(first);                                                   // not Live yet: held
        health.OnNext(new HealthChange("ETHUSDT", FeedState.Live, "fresh", first.ReceivedNs));
        health.OnNext(new HealthChange("ETHUSDT", FeedState.Recovering, "1006", Ns(20)));
        ticks.OnNext(Tick(30, 2, 100m, 101m));                                 // not Live: held
        health.OnNext(new HealthChange("ETHUSDT", FeedState.Live, "fresh", Ns(40))); // caused by a later tick: nothing yet
        ticks.OnNext(Tick(40, 3, 100m, 101m));

        seen.Select(Show).Should().Equal($"{Ns(10)}:1 99.90/101.10", $"{Ns(20)}:cancel Recovering", $"{Ns(40)}:3 99.90/101.10");
    }

    [Fact]
    public void Quote_InvertedTickWhileHealthSaysLive_NeverQuoted()
    {
        var scheduler = new TestScheduler();
        using var ticks = new Subject<BookTicker>();
        using var health = new Subject<HealthChange>();
        var seen = new List<QuoteUpdate>();
        using IDisposable sub = ticks.Quote(health, P2, scheduler).Subscribe(seen.Add);

        health.OnNext(new HealthChange("ETHUSDT", FeedState.Live, "fresh", Ns(10)));
        ticks.OnNext(Tick(10, 1, 101m, 100m));

        seen.Should().BeEmpty();
    }
}
