using RxFeed.Parsing;
using RxFeed.Tests.Support;

namespace RxFeed.Tests.Parsing;

/// <summary>Depth events, REST snapshots and trades: read exactly, bad ones typed, never thrown on.</summary>
public sealed class MarketFrameParserTests
{
    private const string Depth = """{"stream":"ethusdt@depth@100ms","data":{"e":"depthUpdate","E":1723161255308,"s":"ETHUSDT","U":35346513499,"u":35346513505,"b":[["2683.80000000","3.02920000"],["2674.54000000","0.00000000"]],"a":[["2733.70000000","0.00000000"]]}}""";
    private const string FuturesDepth = """{"e":"depthUpdate","E":123456789,"T":123456788,"s":"BTCUSDT","U":157,"u":160,"pu":149,"b":[["0.0024","10"]],"a":[["0.0026","100"]]}""";
    private const string Trade = """{"stream":"ethusdt@trade","data":{"e":"trade","E":1723161255612,"s":"ETHUSDT","t":1520538925,"p":"2683.80000000","q":"0.00200000","b":1,"a":2,"T":1723161255611,"m":true,"M":true}}""";
    private const string Snapshot = """{"lastUpdateId":35346513512,"bids":[["2683.80000000","3.02920000"],["2683.78000000","0.00200000"]],"asks":[["2683.81000000","31.43950000"]]}""";

    [Fact]
    public void Capture_EveryDepthTradeAndSnapshotLine_IsValid_AndNothingElseIsMarketData()
    {
        var parser = new MarketFrameParser();
        var counts = new Dictionary<MarketFrameKind, int>();
        foreach (string line in Frames.Capture)
        {
            MarketFrame f = parser.Parse(Frames.FrameOf(line), 1);
            f.Fault.Should().Be(FrameFault.None, line);
            counts[f.Kind] = counts.GetValueOrDefault(f.Kind) + 1;
        }

        counts.Should().BeEquivalentTo(new Dictionary<MarketFrameKind, int>
        {
            [MarketFrameKind.None] = 24077, [MarketFrameKind.Depth] = 3434, [MarketFrameKind.Trade] = 6106, [MarketFrameKind.Snapshot] = 1,
        });
    }

    [Fact]
    public void Depth_Spot_ReadsEveryFieldExactly()
    {
        var parser = new MarketFrameParser();
        parser.Parse(Depth, 7).Should().Be(new MarketFrame(MarketFrameKind.Depth));
        DepthUpdate d = parser.Depth;
        (d.Symbol, d.EventTime, d.FirstUpdateId, d.FinalUpdateId, d.PreviousFinalUpdateId, d.TransactionTime, d.ReceivedNs)
            .Should().Be(("ETHUSDT", 1723161255308L, 35346513499L, 35346513505L, (long?)null, (long?)null, 7L));
        d.Bids.ToArray().Should().Equal(new PriceLevel(2683.80000000m, 3.02920000m), new PriceLevel(2674.54m, 0m));
        d.Bids[0].Price.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be("2683.80000000", "the sender's scale is kept");
        d.Asks.ToArray().Should().Equal(new PriceLevel(2733.7m, 0m));
    }

    [Fact]
    public void Depth_Futures_ReadsPuAndT()
    {
        var parser = new MarketFrameParser();
        parser.Parse(FuturesDepth, 0).Kind.Should().Be(MarketFrameKind.Depth);
        (parser.Depth.PreviousFinalUpdateId, parser.Depth.TransactionTime).Should().Be(((long?)149, (long?)123456788));
    }

    [Fact]
    public void Snapshot_ReadsLevelsBestFirst()
    {
        var parser = new MarketFrameParser();
        parser.Parse(Snapshot, 0).Should().Be(new MarketFrame(MarketFrameKind.Snapshot));
        parser.Snapshot.LastUpdateId.Should().Be(35346513512);
        parser.Snapshot.Bids.ToArray().Should().Equal(new PriceLevel(2683.8m, 3.0292m), new PriceLevel(2683.78m, 0.002m));
        parser.Snapshot.Asks.Length.Should().Be(1);
    }

    [Fact]
    public void Trade_ReadsEveryField()
    {
        MarketFrame f = new MarketFrameParser().Parse(Trade, 9);
        f.Kind.Should().Be(MarketFrameKind.Trade);
        f.Trade.Should().Be(new Trade("ETHUSDT", 1520538925, 2683.8m, 0.002m, 1723161255611, true, 1, 2, 9));
        new MarketFrameParser().Parse("""{"e":"trade","E":1,"s":"X","t":0,"p":"1","q":"2","T":3,"m":false}""", 0).Trade
            .Should().Be(new Trade("X", 0, 1m, 2m, 3, false), "current spot trades carry no order ids");
    }

    [Theory]
    [InlineData("""{"stream":"x@depth","data":{"E":1,"s":"X","u":5,"b":[],"a":[]}}""", FrameFault.MissingField, "U")]
    [InlineData("""{"stream":"x@depth","data":{"E":1,"s":"X","U":"1","u":5,"b":[],"a":[]}}""", FrameFault.WrongType, "U")]
    [InlineData("""{"stream":"x@depth","data":{"E":1,"s":"X","U":6,"u":5,"b":[],"a":[]}}""", FrameFault.UpdateIdOutOfRange, "u")]
    [InlineData("""{"stream":"x@depth","data":{"E":1,"s":"X","U":1,"u":5.0,"b":[],"a":[]}}""", FrameFault.NotInteger, "u")]
    [InlineData("""{"stream":"x@depth","data":{"E":1,"s":"","U":1,"u":5,"b":[],"a":[]}}""", FrameFault.EmptySymbol, "s")]
    [InlineData("""{"stream":"x@depth","data":{"E":1,"s":"X","U":1,"u":5,"b":{},"a":[]}}""", FrameFault.WrongType, "b")]
    [InlineData("""{"stream":"x@depth","data":{"E":1,"s":"X","U":1,"u":5,"b":[["1","2","3"]],"a":[]}}""", FrameFault.WrongType, "b")]
    [InlineData("""{"stream":"x@depth","data":{"E":1,"s":"X","U":1,"u":5,"b":[["1"]],"a":[]}}""", FrameFault.WrongType, "b")]
    [InlineData("""{"stream":"x@depth","data":{"E":1,"s":"X","U":1,"u":5,"b":[[1,"2"]],"a":[]}}""", FrameFault.WrongType, "b")]
    [InlineData("""{"stream":"x@depth","data":{"E":1,"s":"X","U":1,"u":5,"b":[],"a":[["0.000","1"]]}}""", FrameFault.PriceNotPositive, "a")]
    [InlineData("""{"stream":"x@depth","data":{"E":1,"s":"X","U":1,"u":5,"b":[],"a":[["1","-1"]]}}""", FrameFault.NotPlainDecimal, "a")]
    [InlineData("""{"stream":"x@depth","data":{"E":1,"s":"X","U":1,"u":5,"b":[],"a":[["1.5","0.00000000000000000000000000001"]]}}""", FrameFault.NotExact, "a")]
    [InlineData("""{"stream":"x@depth","data":{"E":1,"s":"X","U":1,"u":5,"u":6,"b":[],"a":[]}}""", FrameFault.DuplicateKey, "u")]
    [InlineData("""{"stream":"x@depth@100ms","data":[1]}""", FrameFault.PayloadNotObject, "data")]
    [InlineData("""{"e":"depthUpdate","E":1,"s":"X","U":1,"u":5,"pu":"4","b":[],"a":[]}""", FrameFault.WrongType, "pu")]
    [InlineData("""{"lastUpdateId":0,"bids":[],"asks":[]}""", FrameFault.UpdateIdOutOfRange, "lastUpdateId")]
    [InlineData("""{"lastUpdateId":5,"bids":[["1","x"]],"asks":[]}""", FrameFault.NotPlainDecimal, "bids")]
    [InlineData("""{"lastUpdateId":5,"bids":[]}""", FrameFault.MissingField, "asks")]
    [InlineData("""{"stream":"x@trade","data":{"s":"X","t":1,"p":"1","q":"1","T":1}}""", FrameFault.MissingField, "m")]
    [InlineData("""{"stream":"x@trade","data":{"s":"X","t":1,"p":"1","q":"1","T":1,"m":1}}""", FrameFault.WrongType, "m")]
    [InlineData("""{"stream":"x@trade","data":{"s":"X","t":1,"p":"1e3","q":"1","T":1,"m":true}}""", FrameFault.NotPlainDecimal, "p")]
    [InlineData("""{"e":"trade","s":"X","t":1,"p":"1","q":"1","T":1,"m":true,"b":"7"}""", FrameFault.WrongType, "b")]
    public void Invalid_IsTypedWithFaultAndField(string frame, FrameFault fault, string field)
    {
        MarketFrame f = new MarketFrameParser().Parse(frame, 0);
        (f.Fault, f.Field).Should().Be((fault, field));
        f.IsValid.Should().BeFalse();
    }

    [Theory]
    [InlineData("""{"stream":"ethusdt@depth5@100ms","data":{"lastUpdateId":1,"bids":[],"asks":[]}}""")]
    [InlineData("""{"stream":"ethusdt@aggTrade","data":{"e":"aggTrade"}}""")]
    [InlineData("""{"e":"kline","s":"X"}""")]
    [InlineData("""{"result":null,"id":1}""")]
    [InlineData("""{"e":"depthUpdate","lastUpdateId":1""")]
    [InlineData("not json")]
    [InlineData("")]
    public void OtherFrames_AreNotMarketData(string frame)
    {
        new MarketFrameParser().Parse(frame, 0).Should().Be(default(MarketFrame));
    }

    [Fact]
    public void Parse_DepthAndTrade_AllocateNothingOnceWarm()
    {
        var parser = new MarketFrameParser();
        string[] frames = [.. Frames.Capture.Take(2000).Select(Frames.FrameOf).Where(f => !f.Contains("bookTicker", StringComparison.Ordinal))];
        // Several warm passes: tiered compilation's own allocations on this thread settle after the first ones.
        for (int pass = 0; pass < 5; pass++)
        {
            foreach (string f in frames)
            {
                parser.Parse(f, 0);
            }
        }

        var allocating = new List<string>();
        foreach (string f in frames)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            parser.Parse(f, 0);
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            if (bytes != 0)
            {
                allocating.Add($"{bytes} B: {f[..Math.Min(80, f.Length)]}");
            }
        }

        string.Join("\n", allocating.Take(5)).Should().BeEmpty($"{allocating.Count} frames allocate");
    }
}
