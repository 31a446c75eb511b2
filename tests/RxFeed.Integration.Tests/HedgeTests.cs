using System.Globalization;
using RxFeed.Connection;
using RxFeed.Exchange.Faults;
using RxFeed.Health;
using Xunit.Abstractions;

namespace RxFeed.Integration.Tests;

/// <summary>
/// Redundant endpoints over real loopback sockets: two (and three) local exchanges serving one market, the faults of the
/// suite on one of them, the delay fault, failover and the return to the preferred endpoint.
/// </summary>
[Collection(nameof(HedgeCollection))]
public sealed class HedgeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("drop")]
    [InlineData("stall")]
    [InlineData("close 1008")]
    [InlineData("refuse 3")]
    [InlineData("shutdown")]
    [InlineData("bad")]
    public async Task Hedged_FaultOnOneOfTwo_NoTickLostStaysLiveOrDegradedNoQuotePulled(string fault)
    {
        await using HedgeHarness h = await HedgeHarness.StartAsync(2, EndpointMode.Hedged, referenceOn: 0);
        await h.WaitForTicks(20, Bound, "ticks from both endpoints");
        await FeedHarness.WaitUntil(() => h.Feed.Race.Sources[1].Duplicates + h.Feed.Race.Sources[0].Duplicates > 10, Bound, "both endpoints deliver");

        Inject(h.Exchanges[1].Faults, fault);
        long fromBBefore = FromB(h);
        // serverShutdown is met make-before-break (a second connection, no reconnect); the others end in a reconnect.
        FeedConnectionCounters b = h.Feed.Connections[1].Counters;
        var reconnected = fault == "bad" ? Task.CompletedTask
            : FeedHarness.WaitUntil(() => b.ConnectionsOpened >= 2, Bound, "endpoint B back after " + fault);
        await reconnected;
        await FeedHarness.WaitUntil(() => FromB(h) > fromBBefore + 10, Bound, "B delivers again");
        await h.WaitForTicks(20, Bound, "ticks after the fault");

        BookTicker[] ticks = h.Ticks();
        ticks.Select(t => t.UpdateId).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems("the other endpoint's copies are all dropped");
        h.Lost().Should().BeEmpty("every tick of the healthy endpoint is delivered");
        h.Health().Select(c => c.State).Should().OnlyContain(s => s == FeedState.Connecting || s == FeedState.Live || s == FeedState.Degraded);
        h.Quotes().Should().NotContain(q => q.IsCancel, "the symbol never leaves Live/Degraded, so no quote is pulled");
        if (fault is not ("bad" or "shutdown"))
        {
            h.Health().Select(c => c.State).Should().Contain(FeedState.Degraded, "redundancy was lost while B was down");
            h.Health()[^1].State.Should().Be(FeedState.Live, "B is back: redundancy restored");
        }
        else if (fault == "bad")
        {
            long bad = h.Feed.EndpointCounters[1].Snapshot() is var counts ? counts.Malformed + counts.Invalid + counts.OutOfOrder : 0;
            bad.Should().BeGreaterThan(0, "B's bad frames are counted as B's");
            h.Feed.EndpointCounters[0].Snapshot().Malformed.Should().Be(0);
        }
    }

    [Fact]
    public async Task Hedged_ThreeEndpoints_TwoFailInTurn_NoTickLostNeverStale()
    {
        await using HedgeHarness h = await HedgeHarness.StartAsync(3, EndpointMode.Hedged, referenceOn: 2);
        await h.WaitForTicks(20, Bound, "ticks from three endpoints");

        h.Exchanges[0].Faults.DropAll();
        await FeedHarness.WaitUntil(() => h.Feed.Connections[0].Counters.Reconnects >= 1, Bound, "A back");
        h.Exchanges[1].Faults.StallAll();
        await FeedHarness.WaitUntil(() => h.Feed.Connections[1].Counters.Reconnects >= 1, Bound, "B replaced after its stall");
        await h.WaitForTicks(20, Bound, "ticks after both faults");

        h.Ticks().Select(t => t.UpdateId).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        h.Lost().Should().BeEmpty();
        h.Health().Select(c => c.State).Should().NotContain([FeedState.Stale, FeedState.Recovering]);
        h.Quotes().Should().NotContain(q => q.IsCancel);
        h.Feed.Race.Sources.Sum(s => s.First).Should().Be(h.TickCount());
    }

    [Fact]
    public async Task Hedged_BothDown_RecoveringThenLiveWhenOneIsBack()
    {
        await using HedgeHarness h = await HedgeHarness.StartAsync(2, EndpointMode.Hedged, referenceOn: 0);
        await h.WaitForTicks(10, Bound, "first ticks");

        h.Exchanges[0].Faults.RefuseNextUpgrades(2);
        h.Exchanges[1].Faults.RefuseNextUpgrades(2);
        h.Exchanges[0].Faults.DropAll();
        h.Exchanges[1].Faults.DropAll();
        await FeedHarness.WaitUntil(() => h.Health().Any(c => c.State == FeedState.Recovering), Bound, "Recovering once both are down");
        await h.WaitForTicks(10, Bound, "ticks once they are back");

        h.Health().Select(c => c.State).SkipWhile(s => s != FeedState.Recovering).Should().Contain(s => s == FeedState.Live || s == FeedState.Degraded);
        h.Quotes().Should().Contain(q => q.IsCancel && q.Reason == "Recovering", "with every endpoint down the quotes go");
    }

    [Fact]
    public async Task Hedged_Delay5msOnA_BWinsAndLeadsBy5ms()
    {
        await using HedgeHarness h = await HedgeHarness.StartAsync(2, EndpointMode.Hedged);
        FaultStep.Parse("0s delay 5ms").ApplyTo(h.Exchanges[0].Faults);
        await h.WaitForTicks(200, TimeSpan.FromSeconds(60), "200 ticks");

        var a = h.Feed.Race.Sources[0];
        var b = h.Feed.Race.Sources[1];
        double share = (double)b.First / (a.First + b.First);
        double leadMs = b.Lead.Percentile(0.5) / 1e6;
        string seen = string.Create(CultureInfo.InvariantCulture, $"B first {b.First}, A first {a.First}, B's lead p50 {leadMs:0.000} ms, p99 {b.Lead.Percentile(0.99) / 1e6:0.000} ms, load {Load()}");

        output.WriteLine(seen);

        // Both markets publish at each tick's due time, so B's lead is the delay plus timer slack. On a quiet machine the
        // issue's targets hold; a heavily loaded one can delay either exchange's timer by more than 5 ms now and then, so
        // there the check is on the majority and on the median being the delay's order of size.
        if (Load() < Environment.ProcessorCount * 2)
        {
            share.Should().BeGreaterThanOrEqualTo(0.99, seen);
            leadMs.Should().BeInRange(4, 6.5, seen);
        }
        else
        {
            share.Should().BeGreaterThanOrEqualTo(0.9, seen);
            leadMs.Should().BeInRange(3, 10, seen);
        }

        a.Duplicates.Should().BeGreaterThan(150, "A's late copies are all dropped");
        h.Lost().Should().BeEmpty();
    }

    [Fact]
    public async Task Failover_PreferredDrops_NextAtOnceThenBackToThePreferredMakeBeforeBreak()
    {
        await using HedgeHarness h = await HedgeHarness.StartAsync(2, EndpointMode.Failover, referenceOn: 1, failbackAfter: TimeSpan.FromSeconds(1));
        await h.WaitForTicks(10, Bound, "first ticks, from A");
        h.Feed.Race.Sources[0].First.Should().BeGreaterThan(0);
        h.Feed.Race.Sources[1].First.Should().Be(0, "one connection at a time: B is not connected");
        h.Exchanges[1].Counters.ConnectionsAccepted.Should().Be(1, "only the reference reads B");

        // A refuses its next two upgrades: its first failback probe fails, a later one succeeds.
        h.Exchanges[0].Faults.RefuseNextUpgrades(2);
        h.Exchanges[0].Faults.DropAll();
        await FeedHarness.WaitUntil(() => h.Feed.Race.Sources[1].First > 10, Bound, "B delivers after A's drop");
        await FeedHarness.WaitUntil(() => h.Feed.Switches >= 2 && h.Feed.ActiveEndpoints.SequenceEqual([0]), TimeSpan.FromSeconds(30), "back on A alone");
        long fromB = h.Feed.Race.Sources[1].First;
        await h.WaitForTicks(10, Bound, "ticks after the failback");

        h.Feed.Race.Sources[1].First.Should().Be(fromB, "B is let go after the failback");
        h.Exchanges[0].Counters.UpgradesRefused.Should().Be(2);
        h.Ticks().Select(t => t.UpdateId).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        HealthChange[] health = h.Health();
        health.Select(c => c.State).Should().Contain(FeedState.Recovering, "A's drop is a disconnect until B delivers");
        health[^1].State.Should().Be(FeedState.Live);
        await FeedHarness.WaitUntil(() => h.Exchanges[1].Counters.ActiveConnections == 1, Bound, "B's feed connection closed, the reference stays");
    }

    /// <summary>B's ticks that reached the merge, first or not.</summary>
    private static long FromB(HedgeHarness h) => h.Feed.Race.Sources[1].First + h.Feed.Race.Sources[1].Duplicates;

    private static void Inject(ExchangeFaults faults, string fault)
    {
        if (fault == "bad")
        {
            foreach (string kind in new[] { "garbage", "truncated", "invalid", "duplicate", "older", "oversized" })
            {
                faults.InjectBadFrames(FaultStep.ParseKind(kind), kind == "oversized" ? 2 : 20);
            }

            return;
        }

        if (fault.StartsWith("refuse", StringComparison.Ordinal))
        {
            FaultStep.Parse("0s " + fault).ApplyTo(faults);
            faults.DropAll();
            return;
        }

        FaultStep.Parse(fault == "shutdown" ? "0s shutdown 0s" : "0s " + fault).ApplyTo(faults);
    }

    private static double Load() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
}

/// <summary>Each hedge test runs two or three exchanges and as many connections: alone, so they neither starve nor are starved by the other suites' timing.</summary>
[CollectionDefinition(nameof(HedgeCollection), DisableParallelization = true)]
public sealed class HedgeCollection;
