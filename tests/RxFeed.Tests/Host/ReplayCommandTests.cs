using System.Text.Json;
using RxFeed.Tests.Support;

namespace RxFeed.Tests.Host;

/// <summary><c>rxfeed replay</c> end to end, as a process: the exact summary on the capture, on damaged copies and on broken files.</summary>
public sealed class ReplayCommandTests : TempDirectory
{
    [Fact]
    public void Replay_SharedCapture_PrintsItsTrueSummaryAndOneTickLinePerDeliveredTicker()
    {
        string ticks = Path.Combine(Dir, "all.ndjson");
        Rxfeed.Result r = Rxfeed.Run("replay", Frames.CapturePath, "--json", "--ticks-out", ticks);
        r.ExitCode.Should().Be(0, r.Stderr);
        JsonElement json = r.Json();
        json.ShouldHaveCounts(lines: 33618, bookTickers: 24077, inverted: 0, invalid: 0, malformed: 0, outOfOrder: 0, other: 0, control: 0);
        json.ShouldHaveMarketCounts(depth: 3434, trades: 6106, snapshots: 1);
        json.GetProperty("symbols").EnumerateObject().Select(p => p.Name).Should().Equal("ETHUSDT");
        json.ShouldHaveSymbol("ETHUSDT", 24077, 0, 0, 35346671850, 64586727.48m, 64587230.47m);

        string[] lines = File.ReadAllLines(ticks);
        lines.Should().HaveCount(24077);
        using JsonDocument last = JsonDocument.Parse(lines[^1]);
        last.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("ts", "s", "u", "b", "B", "a", "A", "inverted");
        last.RootElement.GetProperty("u").GetInt64().Should().Be(35346671850);
        string lastTicker = Frames.Capture.Last(l => l.Contains("@bookTicker", StringComparison.Ordinal));
        last.RootElement.GetProperty("ts").GetInt64().Should().Be(long.Parse(lastTicker.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Replay_DamagedCopy_CountsEveryDamageExactly()
    {
        var d = DamagedCapture.Build(6000);
        Rxfeed.Result r = Rxfeed.Run("replay", Write("damaged.txt", d.Bytes()), "--json");
        r.ExitCode.Should().Be(0, r.Stderr);
        JsonElement json = r.Json();
        json.ShouldHaveCounts(d.NonBlank, d.BookTickers, d.Inverted, d.Invalid, d.Malformed, d.OutOfOrder, d.Other, d.Control);
        json.ShouldHaveMarketCounts(d.Depth, d.Trades, d.Snapshots);
        json.ShouldHaveSymbol("ETHUSDT", d.BookTickers, d.Inverted, d.OutOfOrder, d.LastUpdateId, d.BidSum, d.AskSum);

        // The recipe really produced every kind of damage.
        new[] { d.Inverted, d.Invalid, d.Malformed, d.OutOfOrder, d.Depth, d.Trades, d.Control }.Should().OnlyContain(n => n > 10);
    }

    [Fact]
    public void Replay_DamagedCopySplitAcrossGzipAndPlainFiles_IsOneStreamWithTheSameSummary()
    {
        var d = DamagedCapture.Build(3000);
        int third = d.Lines.Count / 3;
        string a = Write("part1.gz", d.Bytes(0, third), gzip: true);
        string b = Write("part2.txt", d.Bytes(third, 2 * third));
        string c = Write("part3", d.Bytes(2 * third), gzip: true);
        Rxfeed.Result r = Rxfeed.Run("replay", a, b, c, "--json");
        r.ExitCode.Should().Be(0, r.Stderr);
        JsonElement json = r.Json();
        json.ShouldHaveCounts(d.NonBlank, d.BookTickers, d.Inverted, d.Invalid, d.Malformed, d.OutOfOrder, d.Other, d.Control);
        json.ShouldHaveMarketCounts(d.Depth, d.Trades, d.Snapshots);
        json.ShouldHaveSymbol("ETHUSDT", d.BookTickers, d.Inverted, d.OutOfOrder, d.LastUpdateId, d.BidSum, d.AskSum);
    }

    [Fact]
    public void Replay_SameFileTwice_SecondCopyIsAllOutOfOrder()
    {
        string file = Write("small.txt", string.Join('\n', Frames.Capture.Take(500)));
        int tickers = Frames.Capture.Take(500).Count(l => l.Contains("@bookTicker", StringComparison.Ordinal));
        int depth = Frames.Capture.Take(500).Count(l => l.Contains("@depth", StringComparison.Ordinal));
        int trades = Frames.Capture.Take(500).Count(l => l.Contains("@trade", StringComparison.Ordinal));
        JsonElement json = Rxfeed.Run("replay", file, file, "--json").Json();
        json.ShouldHaveCounts(1000, tickers, 0, 0, 0, tickers, 0, 0);
        json.ShouldHaveMarketCounts(2 * depth, 2 * trades, 2);
        json.GetProperty("tradesOutOfOrder").GetInt64().Should().Be(trades, "the second copy's trade ids are not above the first's");
        JsonElement book = json.GetProperty("symbols").GetProperty("ETHUSDT").GetProperty("book");
        book.GetProperty("events").GetInt64().Should().Be(2 * depth);
        book.GetProperty("applied").GetInt64().Should().Be(depth - 2, "the second copy's events and snapshot are all older than the book");
    }

    [Fact]
    public void Replay_EmptyFileAndBlankOnlyFile_CountNothing()
    {
        JsonElement json = Rxfeed.Run("replay", Write("empty", []), Write("blank", "\n \r\n\t\n"), "--json").Json();
        json.ShouldHaveCounts(0, 0, 0, 0, 0, 0, 0, 0);
        json.GetProperty("symbols").EnumerateObject().Should().BeEmpty();
    }

    [Fact]
    public void Replay_Directory_IsItsFilesInNameOrderAsOneStream()
    {
        // Name order differs from creation order and from the order `ls -U` might give: a wrong order would change the
        // out-of-order count and the last update id, so only the true order gives the whole copy's summary.
        var d = DamagedCapture.Build(3000);
        int third = d.Lines.Count / 3;
        string dir = Directory.CreateDirectory(Path.Combine(Dir, "captures")).FullName;
        Write("captures/b-part2.txt", d.Bytes(third, 2 * third));
        Write("captures/c-part3", d.Bytes(2 * third), gzip: true);
        Write("captures/a-part1.gz", d.Bytes(0, third), gzip: true);
        Write("captures/.hidden", "1 {\"e\":\"not-a-frame-of-this-capture\"}\n");
        Directory.CreateDirectory(Path.Combine(dir, "z-subdirectory-is-not-read"));

        Rxfeed.Result r = Rxfeed.Run("replay", dir, "--json");
        r.ExitCode.Should().Be(0, r.Stderr);
        JsonElement json = r.Json();
        json.ShouldHaveCounts(d.NonBlank, d.BookTickers, d.Inverted, d.Invalid, d.Malformed, d.OutOfOrder, d.Other, d.Control);
        json.ShouldHaveMarketCounts(d.Depth, d.Trades, d.Snapshots);
        json.ShouldHaveSymbol("ETHUSDT", d.BookTickers, d.Inverted, d.OutOfOrder, d.LastUpdateId, d.BidSum, d.AskSum);
        d.OutOfOrder.Should().BeGreaterThan(10, "the order of the parts must matter to the summary");
    }

    [Fact]
    public void Replay_FileThenDirectory_KeepsTheOrderGiven()
    {
        var d = DamagedCapture.Build(3000);
        int half = d.Lines.Count / 2;
        string first = Write("first.gz", d.Bytes(0, half), gzip: true);
        Directory.CreateDirectory(Path.Combine(Dir, "rest"));
        Write("rest/only.txt", d.Bytes(half));

        Rxfeed.Result r = Rxfeed.Run("replay", first, Path.Combine(Dir, "rest"), "--json");
        r.ExitCode.Should().Be(0, r.Stderr);
        JsonElement json = r.Json();
        json.ShouldHaveCounts(d.NonBlank, d.BookTickers, d.Inverted, d.Invalid, d.Malformed, d.OutOfOrder, d.Other, d.Control);
        json.ShouldHaveSymbol("ETHUSDT", d.BookTickers, d.Inverted, d.OutOfOrder, d.LastUpdateId, d.BidSum, d.AskSum);
    }

    [Fact]
    public void Replay_DirectoryWithNoFiles_IsUsageErrorWithOneLine()
    {
        string empty = Directory.CreateDirectory(Path.Combine(Dir, "empty")).FullName;
        Directory.CreateDirectory(Path.Combine(empty, "only-a-subdirectory"));
        Rxfeed.Result r = Rxfeed.Run("replay", empty, "--json");
        r.ExitCode.Should().Be(2, r.Stderr);
        r.Stdout.Should().BeEmpty();
        r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle().Which.Should().Contain("no files");
    }

    [Fact]
    public void Replay_TruncatedGzip_CountsWhatWasReadAndFinishes()
    {
        byte[] gz = File.ReadAllBytes(Frames.CapturePath);
        Rxfeed.Result r = Rxfeed.Run("replay", Write("cut.gz", gz[..(gz.Length / 3)]), "--json");
        r.ExitCode.Should().Be(0, r.Stderr);
        JsonElement json = r.Json();
        long lines = json.GetProperty("lines").GetInt64();
        lines.Should().BeInRange(1000, 33617);
        json.GetProperty("malformed").GetInt64().Should().BeLessThanOrEqualTo(1, "only the cut line can be broken");
        new[] { "bookTickers", "other", "malformed", "depth", "trades", "snapshots" }.Sum(k => json.GetProperty(k).GetInt64()).Should().Be(lines);
    }

    [Fact]
    public void Replay_CorruptGzipBody_FailsWithOneLineNoStackTrace()
    {
        byte[] gz = File.ReadAllBytes(Frames.CapturePath);
        for (int i = 200; i < 400; i++)
        {
            gz[i] ^= 0x5A;
        }

        Rxfeed.Result r = Rxfeed.Run("replay", Write("corrupt.gz", gz[..5000]), "--json");
        r.ExitCode.Should().BeOneOf(1, 2);
        r.Stdout.Should().BeEmpty();
        r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle().Which.Should().NotContain(" at ");
    }
}
