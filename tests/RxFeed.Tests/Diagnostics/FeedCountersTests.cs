using RxFeed.Diagnostics;
using RxFeed.Parsing;
using RxFeed.Tests.Support;

namespace RxFeed.Tests.Diagnostics;

/// <summary>The lock-free counters: one writer, snapshots from other threads that are always whole.</summary>
public sealed class FeedCountersTests
{
    [Fact]
    public void Snapshot_WhileOneThreadRecords_IsAlwaysConsistent()
    {
        // Each symbol's frames carry the same prices, so in any whole snapshot its sums are its count times the price,
        // its last u is its count, and the class total is the sum over symbols; a torn copy breaks one of these.
        string[] symbols = ["AAAUSDT", "BBBUSDT", "CCCUSDT"];
        FeedFrame[][] frames = symbols.Select(s => Enumerable.Range(1, 64).Select(u => Frames.Classify(Frames.Ticker(s, u, bid: "1.25", ask: "2.5"))).ToArray()).ToArray();
        FeedFrame malformed = Frames.Classify("{");
        var counters = new FeedCounters();
        const int Rounds = 200_000;
        using var done = new ManualResetEventSlim();
        var writer = new Thread(() =>
        {
            var local = new long[symbols.Length];
            for (int i = 0; i < Rounds; i++)
            {
                int s = i % symbols.Length;
                FeedFrame f = frames[s][(int)(local[s]++ % 64)];
                FeedFrame ticker = f with { Ticker = f.Ticker with { UpdateId = local[s] } };
                counters.Record(ticker);
                if (i % 7 == 0)
                {
                    counters.Record(malformed);
                }
            }

            done.Set();
        });
        writer.Start();

        int snapshots = 0;
        while (!done.IsSet || snapshots == 0)
        {
            FeedCountsSnapshot snap = counters.Snapshot();
            snapshots++;
            snap.BookTickers.Should().Be(snap.Symbols.Values.Sum(s => s.BookTickers));
            foreach (SymbolCounts s in snap.Symbols.Values)
            {
                s.LastUpdateId.Should().Be(s.BookTickers);
                decimal.Parse(s.BidSum, System.Globalization.CultureInfo.InvariantCulture).Should().Be(1.25m * s.BookTickers);
                decimal.Parse(s.AskSum, System.Globalization.CultureInfo.InvariantCulture).Should().Be(2.5m * s.BookTickers);
            }
        }

        writer.Join();
        FeedCountsSnapshot last = counters.Snapshot();
        last.BookTickers.Should().Be(Rounds);
        last.Malformed.Should().Be((Rounds + 6) / 7);
        last.Symbols.Keys.Should().Equal(symbols);
        snapshots.Should().BeGreaterThan(0);
    }
}
