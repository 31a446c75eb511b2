using System.Globalization;
using System.Text.Json;
using RxFeed.Tests.Support;

namespace RxFeed.Tests.Host;

/// <summary><c>rxfeed replay --book-out / --trades-out</c> on the shared capture and on a damaged copy, as a process.</summary>
public sealed class ReplayBookOutputTests : TempDirectory
{
    [Fact]
    public void Replay_BookOut_OneLinePerAppliedEvent_EqualToTheRecomputation()
    {
        string book = Path.Combine(Dir, "book.ndjson");
        Rxfeed.Result r = Rxfeed.Run("replay", Frames.CapturePath, "--json", "--book-out", book, "--book-levels", "3");
        r.ExitCode.Should().Be(0, r.Stderr);

        JsonElement b = r.Json().GetProperty("symbols").GetProperty("ETHUSDT").GetProperty("book");
        (b.GetProperty("events").GetInt64(), b.GetProperty("applied").GetInt64(), b.GetProperty("dropped").GetInt64(), b.GetProperty("gaps").GetInt64(),
            b.GetProperty("resyncs").GetInt64(), b.GetProperty("crossed").GetInt64()).Should().Be((3434L, 3432L, 2L, 0L, 0L, 0L));
        (b.GetProperty("bestBid").GetString(), b.GetProperty("bestAsk").GetString()).Should().Be(("2682.50000000", "2682.51000000"));

        string[] lines = File.ReadAllLines(book);
        var oracle = BookOracle.Run(Frames.Capture, 3);
        lines.Should().HaveCount(oracle.Applied.Count);
        long lastTs = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            using JsonDocument doc = JsonDocument.Parse(lines[i]);
            JsonElement line = doc.RootElement;
            line.EnumerateObject().Select(p => p.Name).Should().Equal("ts", "s", "u", "bids", "asks");
            long ts = line.GetProperty("ts").GetInt64();
            ts.Should().BeGreaterThanOrEqualTo(lastTs);
            lastTs = ts;
            (long U, string Top) expected = (oracle.Applied[i].U, oracle.Applied[i].Top);
            (line.GetProperty("u").GetInt64(), BookOracle.Top(Levels(line.GetProperty("bids")), Levels(line.GetProperty("asks")))).Should().Be(expected, lines[i]);
        }

        lines[0].Should().StartWith("""{"ts":1723161254236388967,"s":"ETHUSDT","u":35346513514,"bids":[["2683.80000000","3.02920000"],""", "the first event after the snapshot, at its receive time");
    }

    [Fact]
    public void Replay_TradesOut_EveryTradeOnceWithRisingIds()
    {
        string trades = Path.Combine(Dir, "trades.ndjson");
        Rxfeed.Result r = Rxfeed.Run("replay", Frames.CapturePath, "--json", "--trades-out", trades);
        r.ExitCode.Should().Be(0, r.Stderr);
        r.Json().GetProperty("symbols").GetProperty("ETHUSDT").GetProperty("trades").GetInt64().Should().Be(6106);

        string[] lines = File.ReadAllLines(trades);
        lines.Should().HaveCount(6106);
        lines[0].Should().Be("""{"ts":1723161254340863867,"s":"ETHUSDT","t":1520538925,"p":"2683.80000000","q":"0.00200000","T":1723161255611,"m":true}""");
        long[] ids = [.. lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("t").GetInt64())];
        ids.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }

    [Fact]
    public void Replay_DroppedDiff_GapCountedAndBookStaysUnsynced()
    {
        List<string> lines = [.. Frames.Capture];
        int[] depth = [.. Enumerable.Range(0, lines.Count).Where(i => lines[i].Contains("@depth", StringComparison.Ordinal))];
        lines.RemoveAt(depth[1000]);
        string book = Path.Combine(Dir, "book.ndjson");
        Rxfeed.Result r = Rxfeed.Run("replay", Write("dropped.txt", string.Join('\n', lines)), "--json", "--book-out", book);
        r.ExitCode.Should().Be(0, r.Stderr);

        JsonElement b = r.Json().GetProperty("symbols").GetProperty("ETHUSDT").GetProperty("book");
        (b.GetProperty("applied").GetInt64(), b.GetProperty("gaps").GetInt64()).Should().Be((998L, 1L));
        b.GetProperty("synced").GetBoolean().Should().BeFalse();
        b.GetProperty("bestBid").ValueKind.Should().Be(JsonValueKind.Null, "an unsynced book has no best price to show");
        File.ReadAllLines(book).Should().HaveCount(998);
    }

    private static IEnumerable<(decimal, decimal)> Levels(JsonElement side) =>
        side.EnumerateArray().Select(l => (decimal.Parse(l[0].GetString()!, CultureInfo.InvariantCulture), decimal.Parse(l[1].GetString()!, CultureInfo.InvariantCulture)));
}

/// <summary>Snapshot lines' symbols, invalid market-data frames and duplicate trades in a small hand-made recording.</summary>
public sealed class ReplayMarketDataRulesTests : TempDirectory
{
    private static string Depth(string symbol, long first, long final, string bids = "[]", string asks = "[]") =>
        $$$"""{"stream":"{{{symbol.ToLowerInvariant()}}}@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"{{{symbol}}}","U":{{{first}}},"u":{{{final}}},"b":{{{bids}}},"a":{{{asks}}}}}""";

    private static string Snapshot(long id, string bids, string asks) => $$$"""{"lastUpdateId":{{{id}}},"bids":{{{bids}}},"asks":{{{asks}}}}""";

    private static string TradeFrame(string symbol, long id) =>
        $$$"""{"stream":"{{{symbol.ToLowerInvariant()}}}@trade","data":{"e":"trade","E":1,"s":"{{{symbol}}}","t":{{{id}}},"p":"1.5","q":"2","T":3,"m":false}}""";

    [Fact]
    public void Replay_SnapshotBelongsToTheNextDepthEventsSymbol_ElseTheLastBefore_InvalidAndDuplicatesCounted()
    {
        string file = Write("market.txt", string.Join('\n',
            "100 " + Depth("AAA", 1, 5),
            "200 " + Snapshot(10, """[["9","1"]]""", """[["11","1"]]"""),        // before BBB's first event: BBB's
            "300 " + Depth("BBB", 9, 12, bids: """[["9.5","2"]]"""),
            "400 " + Depth("AAA", 6, 8),
            "500 " + Depth("AAA", 1, 2, bids: """[["0","1"]]"""),                  // invalid: price 0
            "600 " + TradeFrame("AAA", 7),
            "700 " + TradeFrame("AAA", 7),                                          // duplicate
            "800 " + TradeFrame("AAA", 6),                                          // older
            "900 " + TradeFrame("BBB", 1),
            "950 " + """{"stream":"aaa@trade","data":{"e":"trade","s":"AAA","t":8}}""", // invalid: no p
            "960 " + """{"lastUpdateId":"x","bids":[],"asks":[]}""",              // invalid snapshot
            "970 " + """{"stream":"aaa@kline_1m","data":{"e":"kline"}}""",        // other
            "1000 " + Snapshot(8, """[["5","1"]]""", """[["6","1"]]""")));       // no depth event after: AAA's (the last before)
        string book = Path.Combine(Dir, "book.ndjson");
        Rxfeed.Result r = Rxfeed.Run("replay", file, "--json", "--book-out", book, "--book-levels", "1");
        r.ExitCode.Should().Be(0, r.Stderr);
        JsonElement json = r.Json();

        new[] { "other", "depth", "trades", "snapshots", "invalidDepth", "invalidTrades", "invalidSnapshots", "tradesOutOfOrder" }
            .Select(k => json.GetProperty(k).GetInt64()).Should().Equal(1, 3, 4, 2, 1, 1, 1, 2);
        JsonElement symbols = json.GetProperty("symbols");
        symbols.EnumerateObject().Select(p => p.Name).Should().Equal("AAA", "BBB");

        JsonElement bbb = symbols.GetProperty("BBB").GetProperty("book");
        (bbb.GetProperty("applied").GetInt64(), bbb.GetProperty("bestBid").GetString(), bbb.GetProperty("bestAsk").GetString()).Should().Be((1L, "9.5", "11"));
        JsonElement aaa = symbols.GetProperty("AAA").GetProperty("book");
        (aaa.GetProperty("events").GetInt64(), aaa.GetProperty("applied").GetInt64(), aaa.GetProperty("synced").GetBoolean(), aaa.GetProperty("bestBid").GetString())
            .Should().Be((2L, 0L, true, "5"), "the last snapshot is AAA's and holds both of its buffered events");
        (symbols.GetProperty("AAA").GetProperty("trades").GetInt64(), symbols.GetProperty("BBB").GetProperty("trades").GetInt64()).Should().Be((1L, 1L));

        File.ReadAllLines(book).Should().Equal("""{"ts":300,"s":"BBB","u":12,"bids":[["9.5","2"]],"asks":[["11","1"]]}""");
    }
}
