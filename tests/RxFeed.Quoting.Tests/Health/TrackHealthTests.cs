using System.Reactive.Subjects;
using RxFeed.Connection;
using RxFeed.Health;
using RxFeed.Time;
using static RxFeed.Quoting.Tests.Virtual;

namespace RxFeed.Quoting.Tests.Health;

public class TrackHealthTests
{
    private static string Show(HealthChange c) => $"{c.TsNs}:{c.Symbol} {c.State}";

    [Fact]
    public void TrackHealth_FirstTick_LiveOnce()
    {
        List<HealthChange> changes = HealthOf([Tick(10, 1, 100m, 101m), Tick(20, 2, 100m, 101m)], 1000, untilMs: 500);

        changes.Select(Show).Should().Equal($"{Ns(10)}:ETHUSDT Live");
    }

    [Fact]
    public void TrackHealth_Silence_StaleExactlyAfterLastTick()
    {
        List<HealthChange> changes = HealthOf([Tick(10, 1, 100m, 101m), Tick(400, 2, 100m, 101m)], 1000, untilMs: 5000);

        changes.Select(Show).Should().Equal($"{Ns(10)}:ETHUSDT Live", $"{Ns(1400)}:ETHUSDT Stale");
    }

    [Fact]
    public void TrackHealth_InvertedTicks_CrossedAtOnceAndCountAsDelivered()
    {
        List<HealthChange> changes = HealthOf([
            Tick(10, 1, 100m, 101m),
            Tick(20, 2, 101m, 100m),
            Tick(900, 3, 101m, 100m),   // still crossed: no change, but it restarts the stale clock
        ], 1000, untilMs: 5000);

        changes.Select(Show).Should().Equal($"{Ns(10)}:ETHUSDT Live", $"{Ns(20)}:ETHUSDT Crossed", $"{Ns(1900)}:ETHUSDT Stale");
    }

    [Fact]
    public void TrackHealth_StaleThenInverted_Crossed()
    {
        List<HealthChange> changes = HealthOf([Tick(10, 1, 100m, 101m), Tick(2000, 2, 101m, 100m), Tick(2100, 3, 100m, 101m)], 1000, untilMs: 2500);

        changes.Select(c => c.State).Should().Equal(FeedState.Live, FeedState.Stale, FeedState.Crossed, FeedState.Live);
    }

    [Fact]
    public void TrackHealth_Links_ConnectingThenLiveThenRecoveringUntilFreshData()
    {
        LinkEvent[] links = [
            new(LinkState.Connecting, "connect", ["ETHUSDT", "ADAUSDT"], Ns(1)),
            new(LinkState.Connected, "open", ["ETHUSDT", "ADAUSDT"], Ns(5)),
            new(LinkState.Disconnected, "1006", ["ETHUSDT", "ADAUSDT"], Ns(100)),
            new(LinkState.Connecting, "reconnect", ["ETHUSDT", "ADAUSDT"], Ns(1100)),
        ];
        List<HealthChange> changes = HealthOf([Tick(10, 1, 100m, 101m), Tick(3000, 2, 100m, 101m)], 1000, links, untilMs: 3500);

        changes.Select(Show).Should().Equal(
            $"{Ns(1)}:ETHUSDT Connecting",
            $"{Ns(1)}:ADAUSDT Connecting",
            $"{Ns(10)}:ETHUSDT Live",
            $"{Ns(100)}:ETHUSDT Recovering",
            $"{Ns(100)}:ADAUSDT Recovering",
            $"{Ns(3000)}:ETHUSDT Live");
    }

    [Fact]
    public void TrackHealth_RedundancyLostAndRestored_DegradedWhileLostThenLive()
    {
        LinkEvent[] links = [
            new(LinkState.RedundancyLost, "endpoint B: 1006", ["ETHUSDT"], Ns(100)),
            new(LinkState.RedundancyRestored, "endpoint B back", ["ETHUSDT"], Ns(600)),
        ];
        List<HealthChange> changes = HealthOf([Tick(10, 1, 100m, 101m), Tick(200, 2, 100m, 101m), Tick(700, 3, 100m, 101m)], 1000, links, untilMs: 900);

        changes.Select(Show).Should().Equal(
            $"{Ns(10)}:ETHUSDT Live",
            $"{Ns(100)}:ETHUSDT Degraded",
            $"{Ns(600)}:ETHUSDT Live");
    }

    [Fact]
    public void TrackHealth_Degraded_StaleWhenSilentAndDegradedAgainOnTheNextTick()
    {
        LinkEvent[] links = [new(LinkState.RedundancyLost, "endpoint B: stale", ["ETHUSDT"], Ns(100))];
        List<HealthChange> changes = HealthOf([Tick(10, 1, 100m, 101m), Tick(2000, 2, 100m, 101m)], 1000, links, untilMs: 2500);

        changes.Select(c => c.State).Should().Equal(FeedState.Live, FeedState.Degraded, FeedState.Stale, FeedState.Degraded);
    }

    [Fact]
    public void TrackHealth_RedundancyLostBeforeTheFirstTick_FirstTickIsDegraded()
    {
        LinkEvent[] links = [
            new(LinkState.Connecting, "connect", ["ETHUSDT"], Ns(1)),
            new(LinkState.RedundancyLost, "endpoint B: 503", ["ETHUSDT"], Ns(5)),
        ];
        List<HealthChange> changes = HealthOf([Tick(10, 1, 100m, 101m)], 1000, links, untilMs: 500);

        changes.Select(c => c.State).Should().Equal(FeedState.Connecting, FeedState.Degraded);
    }

    [Fact]
    public void TrackHealth_Removed_FinalLineNoStaleAndLaterTicksIgnoredUntilSubscribedAgain()
    {
        LinkEvent[] links = [
            new(LinkState.Removed, "unsubscribed", ["ETHUSDT"], Ns(100)),
            new(LinkState.Disconnected, "1006", ["ETHUSDT"], Ns(200)),
            new(LinkState.Connecting, "subscribing", ["ETHUSDT"], Ns(3000)),
        ];
        List<HealthChange> changes = HealthOf([Tick(10, 1, 100m, 101m), Tick(150, 2, 100m, 101m), Tick(3100, 3, 100m, 101m)], 1000, links, untilMs: 3500);

        changes.Select(Show).Should().Equal(
            $"{Ns(10)}:ETHUSDT Live",
            $"{Ns(100)}:ETHUSDT Removed",
            $"{Ns(3000)}:ETHUSDT Connecting",
            $"{Ns(3100)}:ETHUSDT Live");
    }

    [Fact]
    public void TrackHealth_TwoSymbols_IndependentStaleClocks()
    {
        List<HealthChange> changes = HealthOf([Tick(10, 1, 100m, 101m, "A"), Tick(300, 1, 100m, 101m, "B")], 1000, untilMs: 5000);

        changes.Select(Show).Should().Equal($"{Ns(10)}:A Live", $"{Ns(300)}:B Live", $"{Ns(1010)}:A Stale", $"{Ns(1300)}:B Stale");
    }

    [Fact]
    public void TrackHealth_ReplaySchedulerOddNanoseconds_StaleExactToTheNanosecond()
    {
        var scheduler = new ReplayScheduler(1_723_161_254_000_000_000);
        using var ticks = new Subject<BookTicker>();
        var seen = new List<HealthChange>();
        using IDisposable sub = ticks.TrackHealth(TimeSpan.FromSeconds(10), null, scheduler).Subscribe(seen.Add);

        long t = 1_723_161_254_024_619_568;
        scheduler.AdvanceTo(t);
        ticks.OnNext(new BookTicker("ETHUSDT", 1, 2683.8m, 1m, 2683.81m, 1m, t));
        scheduler.AdvanceTo(t + 20_000_000_000);

        seen.Select(c => (c.State, c.TsNs)).Should().Equal((FeedState.Live, t), (FeedState.Stale, t + 10_000_000_000));
    }

    [Fact]
    public void TrackHealth_SchedulerNeverAdvanced_NextTickCatchesUpTheDeadlineFirst()
    {
        // A host that pushes ticks without advancing the clock still gets Stale at the exact instant, before the tick.
        var scheduler = new ReplayScheduler();
        using var ticks = new Subject<BookTicker>();
        var seen = new List<HealthChange>();
        using IDisposable sub = ticks.TrackHealth(TimeSpan.FromSeconds(1), null, scheduler).Subscribe(seen.Add);

        ticks.OnNext(new BookTicker("X", 1, 1m, 1m, 2m, 1m, 1_000_000_007));
        ticks.OnNext(new BookTicker("X", 2, 1m, 1m, 2m, 1m, 2_500_000_000));

        seen.Select(c => (c.State, c.TsNs)).Should().Equal((FeedState.Live, 1_000_000_007L), (FeedState.Stale, 2_000_000_007L), (FeedState.Live, 2_500_000_000L));
    }

    [Fact]
    public void TrackHealth_SourceCompletes_CompletesWithoutFurtherChanges()
    {
        var scheduler = new ReplayScheduler();
        using var ticks = new Subject<BookTicker>();
        var seen = new List<HealthChange>();
        bool completed = false;
        using IDisposable sub = ticks.TrackHealth(TimeSpan.FromSeconds(1), null, scheduler).Subscribe(seen.Add, () => completed = true);

        ticks.OnNext(new BookTicker("X", 1, 1m, 1m, 2m, 1m, 5));
        ticks.OnCompleted();
        scheduler.AdvanceTo(10_000_000_000);

        completed.Should().BeTrue();
        seen.Should().ContainSingle();
    }

    [Fact]
    public void TrackHealth_Disposed_NoTimerFiresAfterwards()
    {
        var scheduler = new ReplayScheduler();
        using var ticks = new Subject<BookTicker>();
        var seen = new List<HealthChange>();
        IDisposable sub = ticks.TrackHealth(TimeSpan.FromSeconds(1), null, scheduler).Subscribe(seen.Add);

        ticks.OnNext(new BookTicker("X", 1, 1m, 1m, 2m, 1m, 5));
        sub.Dispose();
        scheduler.AdvanceTo(10_000_000_000);

        seen.Should().ContainSingle();
    }
}
