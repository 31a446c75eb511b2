using RxFeed.Book;

namespace RxFeed.Tests.Book;

/// <summary>The sync procedure, one rule per test, on small hand-made books.</summary>
public sealed class OrderBookTests
{
    [Fact]
    public void Apply_BeforeAnySnapshot_IsBufferedAndNeverSynced()
    {
        var book = new OrderBook("X");
        book.Apply(Spot(1, 5, bids: [(10m, 1m)])).Should().Be(DepthOutcome.Buffered);
        book.IsSynced.Should().BeFalse();
        book.Buffered.Should().Be(1);
        book.Bids.Count.Should().Be(0);
    }

    [Fact]
    public void ApplySnapshot_DropsBufferedEventsItHolds_AppliesTheRest()
    {
        var book = new OrderBook("X");
        book.Apply(Spot(1, 5, bids: [(10m, 1m)]));
        book.Apply(Spot(6, 9, bids: [(10m, 2m)]));
        book.Apply(Spot(10, 12, asks: [(11m, 3m)]));
        var applied = new List<long>();

        book.ApplySnapshot(Snapshot(8, bids: [(10m, 7m), (9m, 1m)], asks: [(12m, 1m)]), e => applied.Add(e.FinalUpdateId)).Should().Be(SnapshotOutcome.Synced);

        applied.Should().Equal(9, 12);
        book.UpdateId.Should().Be(12);
        book.Counts.Should().Be(new BookCounts(Events: 3, Applied: 2, Dropped: 1, Gaps: 0, Resyncs: 0, Crossed: 0));
        Levels(book.Bids).Should().Equal((10m, 2m), (9m, 1m));
        Levels(book.Asks).Should().Equal((11m, 3m), (12m, 1m));
    }

    [Fact]
    public void ApplySnapshot_OlderThanTheFirstBufferedEvent_IsNotUsed()
    {
        var book = new OrderBook("X");
        book.Apply(Spot(10, 12));
        book.ApplySnapshot(Snapshot(8)).Should().Be(SnapshotOutcome.TooOld);
        book.IsSynced.Should().BeFalse();
        book.Buffered.Should().Be(1);
        book.ApplySnapshot(Snapshot(9)).Should().Be(SnapshotOutcome.Synced, "U = lastUpdateId + 1 continues it");
        book.UpdateId.Should().Be(12);
    }

    [Fact]
    public void Spot_MissingUpdateIds_GapUnsyncsAtOnce_NextSnapshotResyncs()
    {
        var book = Synced(100, bids: [(10m, 1m)], asks: [(11m, 1m)]);
        book.Apply(Spot(101, 105, bids: [(10m, 2m)])).Should().Be(DepthOutcome.Applied);
        book.Apply(Spot(107, 110, bids: [(10m, 3m)])).Should().Be(DepthOutcome.Gap);

        book.IsSynced.Should().BeFalse();
        book.Bids.Count.Should().Be(0);
        book.Apply(Spot(111, 112, bids: [(9m, 1m)])).Should().Be(DepthOutcome.Buffered);

        book.ApplySnapshot(Snapshot(108, bids: [(10m, 5m)], asks: [(11m, 1m)])).Should().Be(SnapshotOutcome.Synced);
        book.IsSynced.Should().BeTrue();
        book.UpdateId.Should().Be(112);
        Levels(book.Bids).Should().Equal((10m, 3m), (9m, 1m));
        book.Counts.Should().Be(new BookCounts(Events: 3, Applied: 3, Dropped: 0, Gaps: 1, Resyncs: 1, Crossed: 0));
    }

    [Fact]
    public void Spot_EventAlreadyInTheBook_IsDropped_BookUnchanged()
    {
        var book = Synced(100, bids: [(10m, 1m)]);
        book.Apply(Spot(101, 105, bids: [(10m, 2m)]));
        book.Apply(Spot(101, 105, bids: [(10m, 9m)])).Should().Be(DepthOutcome.Dropped);
        book.Apply(Spot(90, 100, bids: [(10m, 9m)])).Should().Be(DepthOutcome.Dropped);
        Levels(book.Bids).Should().Equal((10m, 2m));
        book.UpdateId.Should().Be(105);
    }

    [Fact]
    public void Spot_OverlappingEvent_IsApplied()
    {
        var book = Synced(100);
        book.Apply(Spot(95, 103, asks: [(11m, 1m)])).Should().Be(DepthOutcome.Applied, "U <= id + 1 <= u straddles the book");
        book.UpdateId.Should().Be(103);
    }

    [Fact]
    public void Futures_ChainedByPu_GapWhenPuIsNotThePreviousU()
    {
        var book = new OrderBook("X", DepthSyncRule.Futures);
        book.ApplySnapshot(Snapshot(100)).Should().Be(SnapshotOutcome.Synced);
        book.Apply(Futures(98, 104, pu: 97, bids: [(10m, 1m)])).Should().Be(DepthOutcome.Applied, "the first event straddles the snapshot: U <= 100 <= u");
        book.Apply(Futures(110, 120, pu: 104)).Should().Be(DepthOutcome.Applied, "futures ids are not contiguous; pu chains them");
        book.Apply(Futures(125, 130, pu: 122)).Should().Be(DepthOutcome.Gap);
        book.IsSynced.Should().BeFalse();
        book.Counts.Gaps.Should().Be(1);
    }

    [Fact]
    public void Futures_FirstEventAfterSnapshotStartingAboveIt_IsAGap()
    {
        var book = new OrderBook("X", DepthSyncRule.Futures);
        book.ApplySnapshot(Snapshot(100));
        book.Apply(Futures(105, 110, pu: 103)).Should().Be(DepthOutcome.Gap);
    }

    [Fact]
    public void QuantityZero_RemovesTheLevel_AbsentLevelRemovalIsHarmless()
    {
        var book = Synced(1, bids: [(10m, 1m), (9m, 1m), (8m, 1m)]);
        book.Apply(Spot(2, 2, bids: [(9m, 0m), (7.5m, 0m), (10.00m, 0.000m)]));
        Levels(book.Bids).Should().Equal((8m, 1m));
    }

    [Fact]
    public void CrossedBook_IsFlaggedAndCountedPerEvent_ClearedWhenUncrossed()
    {
        var book = Synced(1, bids: [(10m, 1m)], asks: [(11m, 1m)]);
        book.Apply(Spot(2, 2, bids: [(11m, 1m)]));
        book.IsCrossed.Should().BeTrue("best bid = best ask is crossed");
        book.Apply(Spot(3, 3, bids: [(12m, 1m)]));
        book.Apply(Spot(4, 4, bids: [(11m, 0m), (12m, 0m)]));
        book.IsCrossed.Should().BeFalse();
        book.Counts.Crossed.Should().Be(2);
    }

    [Fact]
    public void Levels_ExactDecimals_KeptInOrderAtAnyDepth()
    {
        var book = Synced(1);
        var random = new Random(15);
        var expected = new Dictionary<decimal, decimal>();
        for (long u = 2; u < 3000; u++)
        {
            decimal price = 2600m + (random.Next(0, 20000) / 100m);
            decimal qty = random.Next(0, 3) == 0 ? 0m : random.Next(1, 100000) / 10000m;
            book.Apply(Spot(u, u, bids: [(price, qty)]));
            if (qty == 0)
            {
                expected.Remove(price);
            }
            else
            {
                expected[price] = qty;
            }
        }

        Levels(book.Bids).Should().Equal(expected.OrderByDescending(kv => kv.Key).Select(kv => (kv.Key, kv.Value)));
    }

    [Fact]
    public void Prices_OfDifferentScales_CompareByValue()
    {
        var book = Synced(1, asks: [(1.5m, 1m), (1.25m, 1m)]);
        book.Apply(Spot(2, 2, asks: [(1.50000m, 2m), (1.3m, 1m)]));
        Levels(book.Asks).Should().Equal((1.25m, 1m), (1.3m, 1m), (1.5m, 2m));
    }

    [Fact]
    public void Prices_ZeroOrWiderThan64Bits_StillKeptInOrder()
    {
        // The parser never lets these through, but OrderBook is public: they must not break the integer-key search.
        var book = Synced(1, asks: [(2m, 1m), (1m, 1m)]);
        book.Apply(Spot(2, 2, asks: [(0m, 5m), (79228162514264337593543950335m, 1m), (1.5m, 1m)]));
        Levels(book.Asks).Should().Equal((0m, 5m), (1m, 1m), (1.5m, 1m), (2m, 1m), (79228162514264337593543950335m, 1m));
    }

    private static OrderBook Synced(long id, (decimal, decimal)[]? bids = null, (decimal, decimal)[]? asks = null)
    {
        var book = new OrderBook("X");
        book.ApplySnapshot(Snapshot(id, bids, asks)).Should().Be(SnapshotOutcome.Synced);
        return book;
    }

    private static DepthSnapshot Snapshot(long id, (decimal, decimal)[]? bids = null, (decimal, decimal)[]? asks = null) =>
        new(id, ToLevels(bids), ToLevels(asks));

    private static DepthUpdate Spot(long first, long final, (decimal, decimal)[]? bids = null, (decimal, decimal)[]? asks = null) =>
        new("X", first, final, ToLevels(bids), ToLevels(asks));

    private static DepthUpdate Futures(long first, long final, long pu, (decimal, decimal)[]? bids = null) =>
        new("X", first, final, ToLevels(bids), [], pu);

    private static PriceLevel[] ToLevels((decimal P, decimal Q)[]? levels) => levels is null ? [] : [.. levels.Select(l => new PriceLevel(l.P, l.Q))];

    private static List<(decimal, decimal)> Levels(BookSide side) => [.. Enumerable.Range(0, side.Count).Select(i => (side[i].Price, side[i].Quantity))];
}
