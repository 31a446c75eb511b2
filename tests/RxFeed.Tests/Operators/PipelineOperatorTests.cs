using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using RxFeed.Diagnostics;
using RxFeed.Parsing;
using RxFeed.Tests.Support;
using RxFeed.Time;

namespace RxFeed.Tests.Operators;

/// <summary>The four pipeline operators and their composition, on synchronous sources and virtual time.</summary>
public class PipelineOperatorTests
{
    private static List<T> Collect<T>(IObservable<T> source)
    {
        var items = new List<T>();
        using IDisposable _ = source.Subscribe(items.Add);
        return items;
    }

    private static IObservable<string> Source(params string[] frames) => frames.ToObservable(ImmediateScheduler.Instance);

    private static List<FeedFrame> Ordered(params string[] frames) =>
        Collect(Source(frames).ParseFrames().ValidateBookTickers().FlagInvertedSpreads().DropOutOfOrder());

    [Fact]
    public void DropOutOfOrder_DuplicateAndOlderUpdateIds_AreReclassifiedOutOfOrder()
    {
        List<FeedFrame> frames = Ordered(Frames.Ticker("ETHUSDT", 10), Frames.Ticker("ETHUSDT", 10), Frames.Ticker("ETHUSDT", 9), Frames.Ticker("ETHUSDT", 11), Frames.Ticker("ETHUSDT", 1));
        frames.Select(f => f.Class).Should().Equal(FrameClass.BookTicker, FrameClass.OutOfOrder, FrameClass.OutOfOrder, FrameClass.BookTicker, FrameClass.OutOfOrder);
        frames.Select(f => f.Ticker.UpdateId).Should().Equal(10, 10, 9, 11, 1);
        frames[1].Ticker.Symbol.Should().Be("ETHUSDT");
    }

    [Fact]
    public void DropOutOfOrder_InterleavedSymbols_AreOrderedPerSymbol()
    {
        List<FeedFrame> frames = Ordered(
            Frames.Ticker("AAA", 100), Frames.Ticker("BBB", 5), Frames.Ticker("AAA", 6), Frames.Ticker("BBB", 6), Frames.Ticker("BBB", 6), Frames.Ticker("AAA", 101), Frames.Ticker("CCC", 1));
        frames.Select(f => (f.Ticker.Symbol, f.Class)).Should().Equal(
            ("AAA", FrameClass.BookTicker), ("BBB", FrameClass.BookTicker), ("AAA", FrameClass.OutOfOrder), ("BBB", FrameClass.BookTicker),
            ("BBB", FrameClass.OutOfOrder), ("AAA", FrameClass.BookTicker), ("CCC", FrameClass.BookTicker));
    }

    [Fact]
    public void DropOutOfOrder_RawAndCombinedOfOneSymbol_ShareOneOrder()
    {
        string raw = Frames.Raw.Replace("400900217", "7", StringComparison.Ordinal);
        List<FeedFrame> frames = Ordered(Frames.Ticker("BNBUSDT", 7), raw, Frames.Ticker("BNBUSDT", 8), raw.Replace("\"u\":7", "\"u\":9", StringComparison.Ordinal));
        frames.Select(f => f.Class).Should().Equal(FrameClass.BookTicker, FrameClass.OutOfOrder, FrameClass.BookTicker, FrameClass.BookTicker);
    }

    [Fact]
    public void DropOutOfOrder_InvalidTickers_ChangeNoState()
    {
        // The invalid u=50 (bad price) must not raise the bar: 20 is still delivered.
        List<FeedFrame> frames = Ordered(Frames.Ticker("ETHUSDT", 10), Frames.Ticker("ETHUSDT", 50, bid: "0"), Frames.Ticker("ETHUSDT", 50, ask: "x"), Frames.Ticker("ETHUSDT", 20));
        frames.Select(f => f.Class).Should().Equal(FrameClass.BookTicker, FrameClass.Invalid, FrameClass.Invalid, FrameClass.BookTicker);
    }

    [Fact]
    public void DropOutOfOrder_InvertedTickers_AreDeliveredAndRaiseTheBar()
    {
        List<FeedFrame> frames = Ordered(Frames.Ticker("ETHUSDT", 10, bid: "2", ask: "1"), Frames.Ticker("ETHUSDT", 10), Frames.Ticker("ETHUSDT", 11));
        frames.Select(f => (f.Class, f.Ticker.IsInverted)).Should().Equal((FrameClass.BookTicker, true), (FrameClass.OutOfOrder, false), (FrameClass.BookTicker, false));
    }

    [Fact]
    public void DropOutOfOrder_NonTickerFrames_PassUnchanged()
    {
        string[] texts = ["{}", "[", """{"result":null,"id":1}""", Frames.Ticker("X", 5, bid: "-1")];
        var parser = new FrameParser();
        FeedFrame[] input = texts.Select(t => BookTickerRules.Validate(parser.Parse(t, 3))).ToArray();
        Collect(input.ToObservable(ImmediateScheduler.Instance).DropOutOfOrder()).Should().Equal(input);
    }

    [Fact]
    public void DropOutOfOrder_EachSubscription_HasItsOwnState()
    {
        IObservable<FeedFrame> ordered = Source(Frames.Ticker("ETHUSDT", 10), Frames.Ticker("ETHUSDT", 11)).ParseFrames().DropOutOfOrder();
        Collect(ordered).Select(f => f.Class).Should().Equal(FrameClass.BookTicker, FrameClass.BookTicker);
        Collect(ordered).Select(f => f.Class).Should().Equal(FrameClass.BookTicker, FrameClass.BookTicker);
    }

    [Theory]
    [InlineData("1.5", "1.6", false)]
    [InlineData("1.6", "1.6", true)]
    [InlineData("1.60", "1.6000", true)]
    [InlineData("1.7", "1.6", true)]
    [InlineData("0.00000001", "0.00000002", false)]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335", true)]
    public void FlagInvertedSpreads_BidAtOrAboveAsk_IsFlaggedAndStillDelivered(string bid, string ask, bool inverted)
    {
        FeedFrame f = Collect(Source(Frames.Ticker("ETHUSDT", 1, bid: bid, ask: ask)).ParseFrames().FlagInvertedSpreads()).Single();
        f.Class.Should().Be(FrameClass.BookTicker);
        f.Ticker.IsInverted.Should().Be(inverted);
    }

    [Fact]
    public void FlagInvertedSpreads_NonTickerFrames_PassUnchanged()
    {
        FeedFrame invalid = new FrameParser().Parse(Frames.Ticker("X", 1, bid: "2", ask: "1"), 0).AsInvalid(FrameFault.PriceNotPositive, "b");
        FeedFrame malformed = FeedFrame.Malformed(FrameFault.Truncated, 1);
        Collect(new[] { invalid, malformed }.ToObservable(ImmediateScheduler.Instance).FlagInvertedSpreads()).Should().Equal(invalid, malformed);
    }

    [Fact]
    public void ValidateBookTickers_Operator_AppliesEveryRangeRule()
    {
        List<FeedFrame> frames = Collect(Source(
            Frames.Ticker("X", 0), """{"u":1,"s":"","b":"1","B":"1","a":"2","A":"1"}""", Frames.Ticker("X", 1, bid: "0"), Frames.Ticker("X", 1, ask: "0.0"), Frames.Ticker("X", 1))
            .ParseFrames().ValidateBookTickers());
        frames.Select(f => (f.Class, f.Fault, f.Field)).Should().Equal(
            (FrameClass.Invalid, FrameFault.UpdateIdOutOfRange, "u"), (FrameClass.Invalid, FrameFault.EmptySymbol, "s"), (FrameClass.Invalid, FrameFault.PriceNotPositive, "b"),
            (FrameClass.Invalid, FrameFault.PriceNotPositive, "a"), (FrameClass.BookTicker, FrameFault.None, null));
    }

    [Fact]
    public void ParseFrames_ReceiveTime_IsTheSchedulersVirtualClock()
    {
        var scheduler = new ReplayScheduler(1_723_161_254_024_619_568);
        var frames = new List<FeedFrame>();
        using var subject = new System.Reactive.Subjects.Subject<string>();
        using IDisposable _ = subject.ParseFrames(scheduler: scheduler).Subscribe(frames.Add);
        subject.OnNext(Frames.Combined);
        scheduler.AdvanceTo(1_723_161_254_024_619_569);
        subject.OnNext("garbage");
        frames.Select(f => f.ReceivedNs).Should().Equal(1_723_161_254_024_619_568, 1_723_161_254_024_619_569);
        frames[0].Ticker.ReceivedNs.Should().Be(1_723_161_254_024_619_568);
    }

    [Fact]
    public void ParseFrames_BadInput_NeverErrorsAndSourceErrorsPassThrough()
    {
        var error = new InvalidOperationException("socket died");
        var seen = new List<FeedFrame>();
        Exception? received = null;
        Source("", "{", "\0", new string('[', 10_000)).Concat(Observable.Throw<string>(error)).ParseFrames(maxFrameBytes: 100).Subscribe(seen.Add, e => received = e);
        seen.Select(f => f.Fault).Should().Equal(FrameFault.Empty, FrameFault.Truncated, FrameFault.Syntax, FrameFault.TooLarge);
        received.Should().BeSameAs(error);
    }

    [Fact]
    public void ToBookTickers_MixedStream_DeliversOnlyValidOrderedTickersAndCountsEveryFrame()
    {
        var counters = new FeedCounters();
        string[] input =
        [
            Frames.Ticker("ETHUSDT", 10, bid: "2683.80000000", ask: "2683.81000000"),
            Frames.Ticker("ETHUSDT", 10), // duplicate
            Frames.Ticker("ETHUSDT", 11, bid: "3", ask: "3"), // inverted, delivered
            Frames.Ticker("BTCUSDT", 5, bid: "60000.5", ask: "60001"),
            Frames.Ticker("ETHUSDT", 12, bid: "+1"), // invalid
            Frames.Ticker("ZZZUSDT", 1, ask: "0"), // invalid: its symbol never appears in the per-symbol counts
            Frames.Ticker("ETHUSDT", 9), // older
            """{"stream":"ethusdt@trade","data":{}}""",
            """{"result":null,"id":1}""",
            "{\"u\":1,",
            "",
        ];
        List<BookTicker> delivered = Collect(Source(input).ToBookTickers(counters));
        delivered.Select(t => (t.Symbol, t.UpdateId, t.IsInverted)).Should().Equal(("ETHUSDT", 10L, false), ("ETHUSDT", 11L, true), ("BTCUSDT", 5L, false));

        FeedCountsSnapshot s = counters.Snapshot();
        (s.BookTickers, s.Inverted, s.Invalid, s.Malformed, s.OutOfOrder, s.Other, s.Control).Should().Be((3L, 1L, 2L, 2L, 2L, 1L, 1L));
        s.Faults.Should().BeEquivalentTo(new Dictionary<FrameFault, long> { [FrameFault.NotPlainDecimal] = 1, [FrameFault.PriceNotPositive] = 1, [FrameFault.Truncated] = 1, [FrameFault.Empty] = 1 });
        s.Symbols.Keys.Should().Equal("BTCUSDT", "ETHUSDT");
        s.Symbols["ETHUSDT"].Should().Be(new SymbolCounts(2, 1, 2, 11, "2686.80000000", "2686.81000000"));
        s.Symbols["BTCUSDT"].Should().Be(new SymbolCounts(1, 0, 0, 5, "60000.5", "60001"));
    }

    [Fact]
    public void BookTickerPipeline_SpansFromOneReusedBuffer_GiveWhatToBookTickersGivesOnStrings()
    {
        // The replay pushes every frame from the same char buffer; nothing delivered may point back into it.
        string[] input =
        [
            Frames.Ticker("ETHUSDT", 10, bid: "2683.80000000", ask: "2683.81000000"),
            Frames.Ticker("ETHUSDT", 10),
            Frames.Ticker("BTCUSDT", 5, bid: "60000.5", ask: "60001"),
            Frames.Ticker("ETHUSDT", 11, bid: "3", ask: "3"),
            Frames.Ticker("ETHUSDT", 12, bid: "+1"),
            """{"stream":"ethusdt@trade","data":{}}""",
            """{"code":2,"msg":"Invalid request","id":7}""",
            "{\"u\":1,",
            "   ",
            .. Frames.Capture.Take(800).Select(Frames.FrameOf),
        ];
        var clock = new ReplayScheduler(1_723_161_254_024_619_568);
        var viaStrings = new FeedCounters();
        List<BookTicker> expected = Collect(Source(input).ToBookTickers(viaStrings, scheduler: clock));

        var viaSpans = new FeedCounters();
        var delivered = new List<BookTicker>();
        var pipeline = new BookTickerPipeline(Observer.Create<BookTicker>(delivered.Add), viaSpans, scheduler: clock);
        char[] buffer = new char[input.Max(f => f.Length) + 8];
        foreach (string frame in input)
        {
            buffer.AsSpan().Fill('#');
            frame.CopyTo(buffer);
            pipeline.OnFrame(buffer.AsSpan(0, frame.Length));
        }

        buffer.AsSpan().Fill('#');
        delivered.Should().Equal(expected);
        delivered.Select(t => t.Symbol).Distinct().Should().BeEquivalentTo("ETHUSDT", "BTCUSDT");
        viaSpans.Snapshot().Should().BeEquivalentTo(viaStrings.Snapshot());
    }

    [Fact]
    public void Tally_EveryClassAndFault_IsCountedOnceAndPassedOn()
    {
        var counters = new FeedCounters();
        FeedFrame ticker = FeedFrame.ForTicker(new BookTicker("S", 3, 1m, 1m, 2m, 1m, 0));
        FeedFrame[] input =
        [
            ticker, ticker with { Ticker = ticker.Ticker with { IsInverted = true, UpdateId = 4 } }, ticker with { Class = FrameClass.OutOfOrder },
            ticker.AsInvalid(FrameFault.NotExact, "b"), FeedFrame.Malformed(FrameFault.DuplicateKey, 0, "u"), FeedFrame.Malformed(FrameFault.DuplicateKey, 0, "s"),
            new FeedFrame { Class = FrameClass.Other }, new FeedFrame { Class = FrameClass.Control, Control = ControlKind.ServerShutdown },
        ];
        Collect(input.ToObservable(ImmediateScheduler.Instance).Tally(counters)).Should().Equal(input);
        FeedCountsSnapshot s = counters.Snapshot();
        (s.BookTickers, s.Inverted, s.Invalid, s.Malformed, s.OutOfOrder, s.Other, s.Control).Should().Be((2L, 1L, 1L, 2L, 1L, 1L, 1L));
        s.Faults.Should().BeEquivalentTo(new Dictionary<FrameFault, long> { [FrameFault.NotExact] = 1, [FrameFault.DuplicateKey] = 2 });
        s.Symbols["S"].Should().Be(new SymbolCounts(2, 1, 1, 4, "2", "4"));
    }

    [Fact]
    public void DeliveredTickers_OnlyBookTickerClass_IsDelivered()
    {
        FeedFrame ticker = FeedFrame.ForTicker(new BookTicker("S", 3, 1m, 1m, 2m, 1m, 0));
        FeedFrame[] input = [ticker, ticker with { Class = FrameClass.OutOfOrder }, ticker.AsInvalid(FrameFault.NotExact, "b"), FeedFrame.Malformed(FrameFault.Syntax, 0)];
        Collect(input.ToObservable(ImmediateScheduler.Instance).DeliveredTickers()).Should().Equal(ticker.Ticker);
    }
}
