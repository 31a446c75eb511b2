using System.Text;
using System.Text.Json;
using RxFeed.Tests.Support;

namespace RxFeed.Tests.Host;

/// <summary><c>rxfeed replay</c> outputs and options as a process: <c>--ticks-out</c>, exact sums, symbols, <c>--max-frame-bytes</c>, <c>--pace</c>.</summary>
public sealed class ReplayOutputTests : TempDirectory
{
    [Fact]
    public void Replay_TicksOut_WritesEveryDeliveredTickerWithTheExactShape()
    {
        string file = Write("ticks.txt", string.Join('\n',
            Frames.Capture[0],
            "1723161254024619600 " + Frames.Ticker("ETHUSDT", 35346513502, bid: "2683.81000000", ask: "2683.81"),
            Frames.Ticker("ETHUSDT", 35346513503, bid: "1", ask: "2"),
            "1723161254024619700 {\"u\":7,\"s\":\"Δ\\\"\\u0041\",\"b\":\"0.00000001\",\"B\":\"0\",\"a\":\"79228162514264337593543950335\",\"A\":\"1.50\"}",
            "1723161254024619800 " + Frames.Ticker("ETHUSDT", 35346513503),
            "1723161254024619900 " + Frames.Ticker("ETHUSDT", 1, bid: "x")));
        string ticks = Path.Combine(Dir, "ticks.ndjson");
        Rxfeed.Result r = Rxfeed.Run("replay", file, "--ticks-out", ticks, "--json");
        r.ExitCode.Should().Be(0, r.Stderr);
        r.Json().GetProperty("bookTickers").GetInt64().Should().Be(4);
        File.ReadAllText(ticks).Should().Be(
            """
            {"ts":1723161254024619568,"s":"ETHUSDT","u":35346513501,"b":"2683.80000000","B":"3.02920000","a":"2683.81000000","A":"31.43950000","inverted":false}
            {"ts":1723161254024619600,"s":"ETHUSDT","u":35346513502,"b":"2683.81000000","B":"2","a":"2683.81","A":"3","inverted":true}
            {"ts":1723161254024619600,"s":"ETHUSDT","u":35346513503,"b":"1","B":"2","a":"2","A":"3","inverted":false}
            {"ts":1723161254024619700,"s":"Δ\"A","u":7,"b":"0.00000001","B":"0","a":"79228162514264337593543950335","A":"1.50","inverted":false}

            """.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Replay_SumsBeyondDecimal_AreExact()
    {
        string file = Write("huge.txt", string.Join("\r\n",
            "1 " + Frames.Ticker("BIG", 1, bid: "79228162514264337593543950335", ask: "79228162514264337593543950335"),
            "2 " + Frames.Ticker("BIG", 2, bid: "79228162514264337593543950335", ask: "0.0000000000000000000000000001"),
            "3 " + Frames.Ticker("BIG", 3, bid: "0.5", ask: "1")));
        JsonElement big = Rxfeed.Run("replay", file, "--json").Json().GetProperty("symbols").GetProperty("BIG");
        Normalize(big.GetProperty("bidSum").GetString()!).Should().Be("158456325028528675187087900670.5");
        Normalize(big.GetProperty("askSum").GetString()!).Should().Be("79228162514264337593543950336.0000000000000000000000000001");
        big.GetProperty("inverted").GetInt64().Should().Be(2);
    }

    private static string Normalize(string number) => number.Contains('.', StringComparison.Ordinal) ? number.TrimEnd('0').TrimEnd('.') : number;

    [Fact]
    public void Replay_SymbolsWithEscapesAndUnicode_AreDecodedAndMerged()
    {
        string file = Write("sym.txt", string.Join('\n',
            "1 " + Frames.Ticker("ETHUSDT", 1),
            "2 {\"stream\":\"ethusdt@bookTicker\",\"data\":{\"u\":2,\"s\":\"ETH\\u0055SDT\",\"b\":\"1\",\"B\":\"1\",\"a\":\"2\",\"A\":\"1\"}}",
            "3 {\"u\":1,\"s\":\"ΔUSDT\",\"b\":\"1\",\"B\":\"1\",\"a\":\"2\",\"A\":\"1\"}",
            "4 {\"u\":1,\"s\":\"\\ud83d\\ude00\",\"b\":\"1\",\"B\":\"1\",\"a\":\"2\",\"A\":\"1\"}"));
        JsonElement json = Rxfeed.Run("replay", file, "--json").Json();
        json.GetProperty("symbols").EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("ETHUSDT", "ΔUSDT", "😀");
        json.ShouldHaveSymbol("ETHUSDT", 2, 0, 0, 2, 2.5m, 3.6m);
    }

    [Fact]
    public void Replay_SymbolWithEscapedLoneSurrogate_NeverCrashesAndPrintsValidJson()
    {
        // "\ud800" is grammatical JSON (RFC 8259 §8.2 leaves it to the reader); whatever class it gets, the run must finish.
        string file = Write("lone.txt", "1 {\"u\":1,\"s\":\"A\\ud800\",\"b\":\"1\",\"B\":\"1\",\"a\":\"2\",\"A\":\"1\"}\n2 " + Frames.Ticker("ETHUSDT", 5) + "\n");
        Rxfeed.Result r = Rxfeed.Run("replay", file, "--json", "--ticks-out", Path.Combine(Dir, "lone.ndjson"));
        r.ExitCode.Should().Be(0, r.Stderr);
        JsonElement json = r.Json();
        json.GetProperty("lines").GetInt64().Should().Be(2);
        json.ShouldHaveSymbol("ETHUSDT", 1, 0, 0, 5, 1.5m, 1.6m);
    }

    [Fact]
    public void Replay_MaxFrameBytes_CountsLongerFramesMalformed()
    {
        string file = Write("cap.txt", string.Join('\n', Frames.Capture.Take(300)));
        int over = Frames.Capture.Take(300).Count(l => Encoding.UTF8.GetByteCount(Frames.FrameOf(l)) > 200);
        int tickers = Frames.Capture.Take(300).Count(l => l.Contains("@bookTicker", StringComparison.Ordinal) && Encoding.UTF8.GetByteCount(Frames.FrameOf(l)) <= 200);
        over.Should().BeGreaterThan(0);
        JsonElement json = Rxfeed.Run("replay", file, "--max-frame-bytes", "200", "--json").Json();
        json.GetProperty("malformed").GetInt64().Should().Be(over);
        json.GetProperty("bookTickers").GetInt64().Should().Be(tickers);
    }

    [Fact]
    public void Replay_PaceTenTimesAndRecorded_GiveTheSameSummary()
    {
        // 20 frames 1 ms apart: 20 ms recorded, 2 ms at 10x.
        string file = Write("paced.txt", string.Join('\n', Enumerable.Range(1, 20).Select(i => $"{1_000_000L * i} {Frames.Ticker("ETHUSDT", i)}")));
        foreach (string pace in new[] { "2.5x", "recorded" })
        {
            Rxfeed.Result r = Rxfeed.Run("replay", file, "--pace", pace, "--json");
            r.ExitCode.Should().Be(0, pace + r.Stderr);
            r.Json().ShouldHaveCounts(20, 20, 0, 0, 0, 0, 0, 0);
        }
    }

    [Fact]
    public void Replay_PacedFileStartingWithBareFrame_DoesNotWaitForTheEpoch()
    {
        string file = Write("bare-first.txt", Frames.Ticker("ETHUSDT", 1) + "\n1723161254024619568 " + Frames.Ticker("ETHUSDT", 2) + "\n");
        Rxfeed.Result r = Rxfeed.Run(TimeSpan.FromSeconds(20), "replay", file, "--pace", "10x", "--json");
        r.ExitCode.Should().Be(0, r.Stderr);
        r.Json().ShouldHaveCounts(2, 2, 0, 0, 0, 0, 0, 0);
    }

    [Fact]
    public void Replay_TicksOutIntoMissingDirectory_FailsWithOneClearLine()
    {
        Rxfeed.Result r = Rxfeed.Run("replay", Write("a.txt", "1 {}\n"), "--ticks-out", Path.Combine(Dir, "no-dir", "t.ndjson"), "--json");
        r.ExitCode.Should().BeOneOf(1, 2);
        r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle().Which.Should().Contain("no-dir");
    }

    [Theory]
    [InlineData("--ticks-out")]
    [InlineData("--quotes-out")]
    [InlineData("--trades-out")]
    public void Replay_OutputOnAFullDisk_FailsWithOneClearLineAndNoSummary(string flag)
    {
        // /dev/full accepts the open and fails every write with ENOSPC: the disk filling up mid-replay.
        Rxfeed.Result r = Rxfeed.Run("replay", Frames.CapturePath, flag, "/dev/full", "--json");
        r.ExitCode.Should().Be(1, r.Stderr);
        r.Stdout.Should().BeEmpty("no summary may suggest the file was written");
        r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle()
            .Which.Should().StartWith("rxfeed replay: " + flag + ": ").And.Contain("/dev/full").And.NotContain(" at ");
    }
}
