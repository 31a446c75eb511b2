using RxFeed.Connection;
using static RxFeed.Quoting.Tests.Virtual;

namespace RxFeed.Quoting.Tests.Quoting;

/// <summary>The quote engine in virtual time. Prices: 10 bps, precision 2; b=100 → 99.90, a=101 → 101.10.</summary>
public class QuoteEngineTests
{
    private static QuoteOptions P2(Action<QuoteOptions>? change = null)
    {
        var options = new QuoteOptions { PricePrecision = 2 };
        change?.Invoke(options);
        return options;
    }

    [Fact]
    public void Quote_FirstTick_QuotedAtOnceWithTickTsAndU()
    {
        List<QuoteUpdate> quotes = Quotes(new QuoteOptions(), [Tick(5, 7, 100m, 101m)]);

        quotes.Should().ContainSingle();
        QuoteUpdate q = quotes[0];
        (q.TsNs, q.UpdateId, q.Symbol, q.SourceSymbol).Should().Be((Ns(5), 7L, "ETHUSDT", "ETHUSDT"));
        q.Bid.ToString().Should().Be("99.900000");
        q.Ask.ToString().Should().Be("101.101000");
        (q.BidQty, q.AskQty).Should().Be((100m, 100m));
    }

    [Fact]
    public void Quote_MoveBelowRequoteTicks_NotRequoted()
    {
        List<QuoteUpdate> quotes = Quotes(P2(o => o.RequoteTicks = 2), [
            Tick(1, 1, 100m, 101m),     // 99.90
            Tick(2, 2, 100.01m, 101m),  // 99.91: 1 tick away
            Tick(3, 3, 100m, 101m),     // 99.90: 0 ticks
            Tick(4, 4, 100.02m, 101m),  // 99.92: 2 ticks away (>=)
            Tick(5, 5, 100.03m, 101m),  // 99.93: 1 tick from the live 99.92
        ]);

        quotes.Select(Show).Should().Equal($"{Ns(1)}:1 99.90/101.10", $"{Ns(4)}:4 99.92/101.10");
    }

    [Fact]
    public void Quote_RequoteTicksOne_EveryTickMoveRequotes()
    {
        List<QuoteUpdate> quotes = Quotes(P2(), [Tick(1, 1, 100m, 101m), Tick(2, 2, 100.01m, 101m), Tick(3, 3, 100.01m, 101m)]);

        quotes.Select(q => q.UpdateId).Should().Equal(1, 2);
    }

    [Fact]
    public void Quote_DisabledSideMoves_NotRequotedAndKeysAbsent()
    {
        List<QuoteUpdate> quotes = Quotes(P2(o => o.BidEnabled = false), [
            Tick(1, 1, 100m, 101m),
            Tick(2, 2, 90m, 101m),      // only the (off) bid moved
            Tick(3, 3, 90m, 101.01m),   // ask 101.11: moved one tick
        ]);

        quotes.Select(Show).Should().Equal($"{Ns(1)}:1 -/101.10", $"{Ns(3)}:3 -/101.11");
        quotes.Should().OnlyContain(q => q.Bid == null && q.BidQty == null && q.AskQty == 100m);
    }

    [Fact]
    public void Quote_BothSidesOff_OnlyTheFirstCandidateDiffers()
    {
        List<QuoteUpdate> quotes = Quotes(P2(o => (o.BidEnabled, o.AskEnabled) = (false, false)), [Tick(1, 1, 100m, 101m), Tick(2, 2, 50m, 60m)]);

        quotes.Select(Show).Should().Equal($"{Ns(1)}:1 -/-");
    }

    [Fact]
    public void Quote_MinRequote_LatestPendingEmittedAtIntervalEnd()
    {
        List<QuoteUpdate> quotes = Quotes(P2(o => o.MinRequote = TimeSpan.FromMilliseconds(100)), [
            Tick(10, 1, 100m, 101m),     // emitted: interval [10, 110)
            Tick(50, 2, 100.01m, 101m),  // pending
            Tick(80, 3, 100.02m, 101m),  // replaces the pending one
            Tick(150, 4, 100.02m, 101m), // same as live: pending, but does not differ at 210
            Tick(220, 5, 100.03m, 101m), // no interval open: emitted at once
        ]);

        quotes.Select(Show).Should().Equal(
            $"{Ns(10)}:1 99.90/101.10",
            $"{Ns(110)}:3 99.92/101.10",
            $"{Ns(220)}:5 99.93/101.10");
    }

    [Fact]
    public void Quote_PendingBackToLivePrice_NothingAtIntervalEnd()
    {
        List<QuoteUpdate> quotes = Quotes(P2(o => o.MinRequote = TimeSpan.FromMilliseconds(100)), [
            Tick(10, 1, 100m, 101m),
            Tick(50, 2, 100.05m, 101m),  // differs, held
            Tick(60, 3, 100m, 101m),     // replaces it and does not differ
            Tick(111, 4, 100.01m, 101m), // interval [10,110) ended with nothing: emitted at once
        ]);

        quotes.Select(Show).Should().Equal($"{Ns(10)}:1 99.90/101.10", $"{Ns(111)}:4 99.91/101.10");
    }

    [Fact]
    public void Quote_TickExactlyAtIntervalEnd_PendingFirstThenTickHeldInNewInterval()
    {
        List<QuoteUpdate> quotes = Quotes(P2(o => o.MinRequote = TimeSpan.FromMilliseconds(100)), [
            Tick(10, 1, 100m, 101m),
            Tick(50, 2, 100.01m, 101m),
            Tick(110, 3, 100.02m, 101m), // at E + min: the pending goes first, opening [110, 210)
        ]);

        quotes.Select(Show).Should().Equal(
            $"{Ns(10)}:1 99.90/101.10",
            $"{Ns(110)}:2 99.91/101.10",
            $"{Ns(210)}:3 99.92/101.10");
    }

    [Fact]
    public void Quote_TickOneMsAfterIntervalEndWithoutPending_EmittedAtOnce()
    {
        List<QuoteUpdate> quotes = Quotes(P2(o => o.MinRequote = TimeSpan.FromMilliseconds(100)), [
            Tick(10, 1, 100m, 101m),
            Tick(109, 2, 100m, 101m),      // pending, not differing
            Tick(110, 3, 100.01m, 101m),   // at the end: pending emits nothing, so no interval: at once
        ]);

        quotes.Select(Show).Should().Equal($"{Ns(10)}:1 99.90/101.10", $"{Ns(110)}:3 99.91/101.10");
    }

    [Fact]
    public void Quote_Silence_CancelStaleExactlyAfterBoundThenResume()
    {
        List<QuoteUpdate> quotes = Quotes(P2(), [Tick(10, 1, 100m, 101m), Tick(2000, 2, 100m, 101m)], staleAfterMs: 1000, untilMs: 2999);

        quotes.Select(Show).Should().Equal(
            $"{Ns(10)}:1 99.90/101.10",
            $"{Ns(1010)}:cancel Stale",
            $"{Ns(2000)}:2 99.90/101.10");
    }

    [Fact]
    public void Quote_TickOneMsBeforeStaleBound_StaysLive()
    {
        List<QuoteUpdate> quotes = Quotes(P2(), [Tick(10, 1, 100m, 101m), Tick(1009, 2, 100m, 101m)], staleAfterMs: 1000, untilMs: 2008);

        quotes.Select(Show).Should().Equal($"{Ns(10)}:1 99.90/101.10");
    }

    [Fact]
    public void Quote_TickExactlyAtStaleBound_CancelThenRequoteAtSameInstant()
    {
        List<QuoteUpdate> quotes = Quotes(P2(), [Tick(10, 1, 100m, 101m), Tick(1010, 2, 100m, 101m)], staleAfterMs: 1000, untilMs: 2000);

        quotes.Select(Show).Should().Equal(
            $"{Ns(10)}:1 99.90/101.10",
            $"{Ns(1010)}:cancel Stale",
            $"{Ns(1010)}:2 99.90/101.10");
    }

    [Fact]
    public void Quote_Inverted_CancelCrossedOnceThenResumeOnGoodTick()
    {
        List<QuoteUpdate> quotes = Quotes(P2(), [
            Tick(10, 1, 100m, 101m),
            Tick(20, 2, 101m, 101m),  // bid == ask: crossed
            Tick(30, 3, 102m, 101m),  // still crossed: nothing more
            Tick(40, 4, 100m, 101m),  // fresh: Live, quoted at once even at the old prices
        ]);

        quotes.Select(Show).Should().Equal(
            $"{Ns(10)}:1 99.90/101.10",
            $"{Ns(20)}:cancel Crossed",
            $"{Ns(40)}:4 99.90/101.10");
    }

    [Fact]
    public void Quote_StaleWhilePending_PendingAndIntervalDropped()
    {
        List<QuoteUpdate> quotes = Quotes(P2(o => o.MinRequote = TimeSpan.FromSeconds(5)), [
            Tick(10, 1, 100m, 101m),
            Tick(500, 2, 100.05m, 101m),  // pending until 5010
            Tick(3000, 3, 100m, 101m),    // after Stale at 1500: fresh, quoted at once (no interval)
        ], staleAfterMs: 1000, untilMs: 20_000);

        quotes.Select(Show).Should().Equal(
            $"{Ns(10)}:1 99.90/101.10",
            $"{Ns(1500)}:cancel Stale",
            $"{Ns(3000)}:3 99.90/101.10",
            $"{Ns(4000)}:cancel Stale");
    }

    [Fact]
    public void Quote_StaleAndIntervalEndSameInstant_StaleWinsNoQuote()
    {
        List<QuoteUpdate> quotes = Quotes(P2(o => o.MinRequote = TimeSpan.FromSeconds(1)), [
            Tick(10, 1, 100m, 101m),
            Tick(10, 2, 100.05m, 101m),   // same instant, held until 1010 — when the symbol also goes Stale
        ], staleAfterMs: 1000);

        quotes.Select(Show).Should().Equal($"{Ns(10)}:1 99.90/101.10", $"{Ns(1010)}:cancel Stale");
    }

    [Fact]
    public void Quote_LinkDisconnected_CancelRecoveringThenResumeOnTick()
    {
        var down = new LinkEvent(LinkState.Disconnected, "1006", ["ETHUSDT"], Ns(50));
        var up = new LinkEvent(LinkState.Connected, "open", ["ETHUSDT"], Ns(60));
        List<QuoteUpdate> quotes = Quotes(P2(), [Tick(10, 1, 100m, 101m), Tick(70, 2, 100m, 101m)], links: [down, up]);

        quotes.Select(Show).Should().Equal(
            $"{Ns(10)}:1 99.90/101.10",
            $"{Ns(50)}:cancel Recovering",
            $"{Ns(70)}:2 99.90/101.10");
    }

    [Fact]
    public void Quote_RedundancyLost_DegradedKeepsQuotingWithoutACancel()
    {
        var lost = new LinkEvent(LinkState.RedundancyLost, "endpoint B: 1006", ["ETHUSDT"], Ns(50));
        var back = new LinkEvent(LinkState.RedundancyRestored, "endpoint B back", ["ETHUSDT"], Ns(150));
        List<QuoteUpdate> quotes = Quotes(P2(), [Tick(10, 1, 100m, 101m), Tick(70, 2, 100.05m, 101m), Tick(200, 3, 100.10m, 101m)], links: [lost, back]);

        quotes.Select(Show).Should().Equal(
            $"{Ns(10)}:1 99.90/101.10",
            $"{Ns(70)}:2 99.95/101.10",
            $"{Ns(200)}:3 100.00/101.10");
    }

    [Fact]
    public void Quote_DegradedThenStale_CancelsOnce()
    {
        var lost = new LinkEvent(LinkState.RedundancyLost, "endpoint B: 1006", ["ETHUSDT"], Ns(50));
        List<QuoteUpdate> quotes = Quotes(P2(), [Tick(10, 1, 100m, 101m)], staleAfterMs: 1000, links: [lost], untilMs: 3000);

        quotes.Select(Show).Should().Equal($"{Ns(10)}:1 99.90/101.10", $"{Ns(1010)}:cancel Stale");
    }

    [Fact]
    public void Quote_SymbolDst_CarriedOnQuotesAndCancels()
    {
        List<QuoteUpdate> quotes = Quotes(P2(o => o.SymbolDst = "ETHUSDT=ETH-USD"), [Tick(10, 1, 100m, 101m)], staleAfterMs: 100, untilMs: 1000);

        quotes.Should().HaveCount(2).And.OnlyContain(q => q.Symbol == "ETH-USD" && q.SourceSymbol == "ETHUSDT");
    }

    [Fact]
    public void Quote_TwoSymbols_IndependentIntervals()
    {
        List<QuoteUpdate> quotes = Quotes(P2(o => o.MinRequote = TimeSpan.FromMilliseconds(100)), [
            Tick(10, 1, 100m, 101m, "A"),
            Tick(20, 1, 100m, 101m, "B"),
            Tick(30, 2, 100.01m, 101m, "A"),
        ]);

        quotes.Select(q => $"{q.Symbol}{Show(q)}").Should().Equal(
            $"A{Ns(10)}:1 99.90/101.10", $"B{Ns(20)}:1 99.90/101.10", $"A{Ns(110)}:2 99.91/101.10");
    }

    [Fact]
    public void Quote_Layers_GrowingSpreadsAndSizes()
    {
        List<QuoteUpdate> quotes = Quotes(P2(o => (o.Layers, o.LayerStepBps) = (3, 10m)), [Tick(10, 1, 100m, 101m)]);

        QuoteUpdate q = quotes.Should().ContainSingle().Subject;
        q.Levels.Should().Equal(
            new QuoteLevel(99.90m, 101.10m, 100m, 100m),
            new QuoteLevel(99.80m, 101.20m, 200m, 200m),
            new QuoteLevel(99.70m, 101.30m, 300m, 300m));
    }

    [Fact]
    public void Quote_AskBeyondDecimalRange_TickNotQuotedNoCrash()
    {
        List<QuoteUpdate> quotes = Quotes(P2(), [
            Tick(10, 1, 1m, decimal.MaxValue),  // the ask × 1.001 does not fit a decimal
            Tick(20, 2, 100m, 101m),
        ]);

        quotes.Select(Show).Should().Equal($"{Ns(20)}:2 99.90/101.10");
    }
}
