using System.Diagnostics;
using RxFeed.Connection;
using RxFeed.Diagnostics;
using RxFeed.Exchange.Faults;

namespace RxFeed.Integration.Tests;

/// <summary>Every scripted fault of the local exchange ends in a working feed again, unattended, over real loopback sockets.</summary>
public sealed class FaultRecoveryTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Frames_LocalExchange_DeliversBookTickers()
    {
        await using FeedHarness h = await FeedHarness.StartAsync();
        await h.WaitForTicks(20, Bound, "book tickers arrive");

        h.Ticks().Should().OnlyContain(t => t.Symbol == "ADAUSDT");
        h.Connection.Counters.ConnectionsOpened.Should().Be(1);
        h.Connection.Counters.ResubscribeMismatches.Should().Be(0, "the exchange holds exactly what we subscribed");
        h.Links().Select(l => l.State).Should().StartWith([LinkState.Connecting, LinkState.Connected]);
    }

    [Fact]
    public async Task Frames_AbruptDrop_Recovers()
    {
        await using FeedHarness h = await FeedHarness.StartAsync();
        await h.WaitForTicks(10, Bound, "first ticks");
        h.Exchange.Faults.DropAll().Should().Be(1);
        await FeedHarness.WaitUntil(() => h.Connection.Counters.Reconnects >= 1, Bound, "a reconnect");
        await h.WaitForTicks(10, Bound, "ticks after the drop");

        AssertStrictlyRising(h);
        h.Links().Select(l => l.State).Should().Contain(LinkState.Disconnected);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(1008)]
    public async Task Frames_ServerCloses_Recovers(int code)
    {
        await using FeedHarness h = await FeedHarness.StartAsync();
        await h.WaitForTicks(10, Bound, "first ticks");
        h.Exchange.Faults.CloseAll(code, "scripted").Should().Be(1);
        await FeedHarness.WaitUntil(() => h.Connection.Counters.Reconnects >= 1, Bound, "a reconnect after close " + code);
        await h.WaitForTicks(10, Bound, "ticks after the close");

        h.Links().Should().Contain(l => l.State == LinkState.Disconnected && l.Reason.Contains(code.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        AssertStrictlyRising(h);
    }

    [Fact]
    public async Task Frames_HalfOpen_TornDownWithinStaleAfterAndReplaced()
    {
        await using FeedHarness h = await FeedHarness.StartAsync();
        await h.WaitForTicks(10, Bound, "first ticks");
        var clock = Stopwatch.StartNew();
        h.Exchange.Faults.StallAll().Should().Be(1);
        await FeedHarness.WaitUntil(() => h.Connection.Counters.Reconnects >= 1, Bound, "the stalled socket replaced");
        TimeSpan replacedAfter = clock.Elapsed;
        await h.WaitForTicks(10, Bound, "ticks after the stall");

        replacedAfter.Should().BeLessThan(h.Options.StaleAfter + h.Options.ReconnectMax + TimeSpan.FromSeconds(1),
            "a half-open socket is noticed by the watchdog, not by the OS's TCP timeout");
        h.Links().Should().Contain(l => l.State == LinkState.Disconnected && l.Reason.Contains("no frame"));
    }

    [Fact]
    public async Task Frames_UpgradesRefused_RecoverThroughBackoff()
    {
        await using FeedHarness h = await FeedHarness.StartAsync();
        await h.WaitForTicks(10, Bound, "first ticks");
        h.Exchange.Faults.RefuseNextUpgrades(3);
        h.Exchange.Faults.DropAll();
        await FeedHarness.WaitUntil(() => h.Connection.Counters.Reconnects >= 1, Bound, "a reconnect past three 503s");
        await h.WaitForTicks(10, Bound, "ticks after the refusals");

        h.Exchange.Counters.UpgradesRefused.Should().Be(3);
        h.Connection.Counters.Attempts.Should().Be(5, "one first connect, three refused, one accepted");
    }

    [Theory]
    [InlineData(BadFrameKind.Garbage)]
    [InlineData(BadFrameKind.Truncated)]
    [InlineData(BadFrameKind.InvalidFields)]
    [InlineData(BadFrameKind.Duplicate)]
    [InlineData(BadFrameKind.OlderUpdateId)]
    [InlineData(BadFrameKind.Oversized)]
    public async Task Frames_BadFrameBurst_CountedNeverDeliveredConnectionSurvives(BadFrameKind kind)
    {
        await using FeedHarness h = await FeedHarness.StartAsync();
        await h.WaitForTicks(10, Bound, "first ticks");
        int count = kind == BadFrameKind.Oversized ? 5 : 50;
        h.Exchange.Faults.InjectBadFrames(kind, count).Should().BeGreaterThan(0);
        // Every bad frame arrives and is counted (however long 5 MiB of oversized frames take on a loaded machine), then
        // the same connection keeps delivering.
        await FeedHarness.WaitUntil(() => Bad(h.Counters.Snapshot()) >= count, Bound, "every bad frame counted");
        await h.WaitForTicks(20, Bound, "ticks after the burst");

        Bad(h.Counters.Snapshot()).Should().BeGreaterThanOrEqualTo(count);
        h.Connection.Counters.ConnectionsOpened.Should().Be(1, "bad frames never kill the connection");
        AssertStrictlyRising(h);
    }

    [Fact]
    public async Task Frames_ManySubscribeRequests_NeverExceedTheBudget()
    {
        await using FeedHarness h = await FeedHarness.StartAsync(
            exchange: o =>
            {
                o.Market.Symbols.Clear();
                foreach (string s in Symbols(12))
                {
                    o.Market.Symbols.Add(s);
                }
            },
            connection: o =>
            {
                o.Symbols = Symbols(12);
                o.MaxStreamsPerRequest = 1; // 12 SUBSCRIBEs + LIST: more than a second's budget
            });
        await FeedHarness.WaitUntil(() => h.Ticks().Select(t => t.Symbol).Distinct().Count() == 12, TimeSpan.FromSeconds(15), "all 12 symbols live");

        h.Exchange.Counters.RateLimitCloses.Should().Be(0, "the server never saw more than 5 messages in a second");
        h.Connection.Counters.BudgetWaits.Should().BeGreaterThan(0);
        foreach (long[] sends in h.Sockets.SendTimes())
        {
            MaxInAnySecond(sends).Should().BeLessThanOrEqualTo(h.Options.OutboundMessagesPerSecond);
        }
    }

    internal static string[] Symbols(int n) => [.. Enumerable.Range(0, n).Select(i => $"SYM{i}USDT")];

    internal static void AssertStrictlyRising(FeedHarness h)
    {
        foreach (var group in h.Ticks().GroupBy(t => t.Symbol))
        {
            long[] u = [.. group.Select(t => t.UpdateId)];
            u.Zip(u.Skip(1)).Should().OnlyContain(p => p.Second > p.First, "delivered u rises strictly for " + group.Key);
        }
    }

    private static int MaxInAnySecond(long[] stamps)
    {
        long second = Stopwatch.Frequency;
        int max = 0;
        for (int i = 0; i < stamps.Length; i++)
        {
            max = Math.Max(max, stamps.Skip(i).Count(t => t - stamps[i] < second));
        }

        return max;
    }

    private static long Bad(FeedCountsSnapshot counts) => counts.Malformed + counts.Invalid + counts.OutOfOrder;
}
