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
