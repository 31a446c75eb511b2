using RxFeed.Book;
using RxFeed.Parsing;
using RxFeed.Tests.Support;

namespace RxFeed.Tests.Book;

/// <summary>The books built from the shared capture equal an independent recomputation at every applied event, also on damaged copies.</summary>
public sealed class OrderBookCaptureTests
{
    private const int Levels = 10;

    [Fact]
    public void Capture_EveryAppliedEvent_EqualsTheRecomputation()
    {
        string[] lines = Frames.Capture;
        var oracle = BookOracle.Run(lines, Levels);
        Run product = Run.Over(lines);

        product.Applied.Should().Equal(oracle.Applied);
        product.Applied.Should().HaveCount(3432, "the capture's 3434 depth events less the 2 the snapshot already holds");
        product.Book.Counts.Should().Be(new BookCounts(Events: 3434, Applied: 3432, Dropped: 2, Gaps: 0, Resyncs: 0, Crossed: 0));
        product.Book.IsSynced.Should().BeTrue();
        product.Book.Bids[0].Price.Should().Be(2682.50m);
        product.Book.Asks[0].Price.Should().Be(2682.51m);
    }

    [Fact]
    public void Capture_FinalBook_EqualsTheRecomputationAtEveryLevel()
    {
        string[] lines = Frames.Capture;
        var oracle = BookOracle.Run(lines, int.MaxValue);
        Run product = Run.Over(lines, int.MaxValue);
        product.Applied[^1].Should().Be(oracle.Applied[^1]);
        product.Book.Bids.Count.Should().BeGreaterThan(1000, "the whole book is compared, not just its top");
    }

    [Fact]
    public void DroppedDiff_GapAtTheNextEvent_BookStaysUnsyncedWithoutAnotherSnapshot()
    {
        List<string> lines = [.. Frames.Capture];
        int[] depth = DepthLines(lines);
        lines.RemoveAt(depth[500]);
        int expectedGapLine = depth[501] - 1;

        var oracle = BookOracle.Run(lines, Levels);
        Run product = Run.Over(lines);

        oracle.GapLines.Should().Equal(expectedGapLine);
        product.GapLines.Should().Equal(expectedGapLine);
        product.Applied.Should().Equal(oracle.Applied);
        product.Book.Counts.Gaps.Should().Be(1);
        product.Book.IsSynced.Should().BeFalse("replay has no second snapshot to resync from");
        product.Book.Bids.Count.Should().Be(0, "an unsynced book's levels are discarded");
    }

    [Fact]
    public void ReorderedDiffs_GapAtTheFirstOutOfPlaceEvent()
    {
        List<string> lines = [.. Frames.Capture];
        int[] depth = DepthLines(lines);
        (lines[depth[700]], lines[depth[701]]) = (lines[depth[701]], lines[depth[700]]);

        var oracle = BookOracle.Run(lines, Levels);
        Run product = Run.Over(lines);

        product.GapLines.Should().Equal(depth[700]);
        oracle.GapLines.Should().Equal(depth[700]);
        product.Applied.Should().Equal(oracle.Applied);
        product.Applied.Should().HaveCount(700 - 2);
    }

    [Fact]
    public void DuplicatedDiff_IsDropped_BookUnchangedAtEveryEvent()
    {
        List<string> lines = [.. Frames.Capture];
        int[] depth = DepthLines(lines);
        lines.Insert(depth[900] + 1, lines[depth[900]]);

        Run original = Run.Over(Frames.Capture);
        Run product = Run.Over(lines);

        product.GapLines.Should().BeEmpty();
        product.Book.Counts.Should().Be(original.Book.Counts with { Events = 3435, Dropped = 3 });
        product.Applied.Select(a => (a.U, a.Top)).Should().Equal(original.Applied.Select(a => (a.U, a.Top)));
        product.Applied.Should().Equal(BookOracle.Run(lines, Levels).Applied);
    }

    private static int[] DepthLines(List<string> lines) =>
        [.. Enumerable.Range(0, lines.Count).Where(i => lines[i].Contains("@depth", StringComparison.Ordinal))];

    /// <summary>The product path of <c>rxfeed replay</c> for market data: <see cref="MarketFrameParser"/> into <see cref="MarketDataBooks"/>.</summary>
    private sealed class Run
    {
        public List<(int Line, long U, string Top)> Applied { get; } = [];

        public List<int> GapLines { get; } = [];

        public OrderBook Book { get; private set; } = null!;

        public static Run Over(IReadOnlyList<string> lines, int levels = Levels)
        {
            var run = new Run();
            int line = 0;
            var books = new MarketDataBooks(applied: (book, _) => run.Applied.Add((line, book.UpdateId, Top(book, levels))));
            var parser = new MarketFrameParser();
            long gaps = 0;
            for (; line < lines.Count; line++)
            {
                books.OnFrame(parser.Parse(Frames.FrameOf(lines[line]), line), parser, line);
                if (books.Books.TryGetValue("ETHUSDT", out OrderBook? b) && b.Counts.Gaps != gaps)
                {
                    gaps = b.Counts.Gaps;
                    run.GapLines.Add(line);
                }
            }

            books.Complete();
            run.Book = books.Books["ETHUSDT"];
            return run;
        }

        private static string Top(OrderBook book, int levels) => BookOracle.Top(
            Enumerable.Range(0, Math.Min(levels, book.Bids.Count)).Select(i => (book.Bids[i].Price, book.Bids[i].Quantity)),
            Enumerable.Range(0, Math.Min(levels, book.Asks.Count)).Select(i => (book.Asks[i].Price, book.Asks[i].Quantity)));
    }
}
