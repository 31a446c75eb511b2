using System.Reactive.Subjects;
using RxFeed.Diagnostics;

namespace RxFeed.Tests.Operators;

/// <summary><see cref="FeedObservable.MergeFirstArrival"/>: who was first, by how much, and what was dropped as what.</summary>
public sealed class MergeFirstArrivalTests
{
    private static BookTicker Tick(long u, long receivedNs, string symbol = "ETHUSDT") => new(symbol, u, 100m, 1m, 101m, 1m, receivedNs);

    [Fact]
    public void MergeFirstArrival_BDelayedBy5ms_ACountsEveryFirstAndLeads5ms()
    {
        using var a = new Subject<BookTicker>();
        using var b = new Subject<BookTicker>();
        var race = new ArrivalRace(["a", "b"]);
        var seen = new List<BookTicker>();
        using IDisposable sub = new[] { a, b }.MergeFirstArrival(race).Subscribe(seen.Add);

        // b runs five ticks behind a, each tick 1 ms apart: every copy of b is 5 ms after a's.
        for (long u = 1; u <= 100; u++)
        {
            a.OnNext(Tick(u, u * 1_000_000));
            if (u > 5)
            {
                b.OnNext(Tick(u - 5, (u - 5) * 1_000_000 + 5_000_000));
            }
        }

        seen.Select(t => t.UpdateId).Should().Equal(Enumerable.Range(1, 100).Select(i => (long)i));
        race.Sources[0].First.Should().Be(100);
        race.Sources[1].First.Should().Be(0);
        race.Sources[1].Duplicates.Should().Be(95);
        race.Sources[1].Late.Should().Be(0);
        race.Sources[0].Lead.Count.Should().Be(95);
        race.Sources[0].Lead.Percentile(0.5).Should().BeInRange(4_850_000, 5_000_000, "the histogram keeps values within 1/32");
        race.Sources[1].Lead.Count.Should().Be(0);
    }

    [Fact]
    public void MergeFirstArrival_TickOlderThanTheLastDeliveredAndNeverSent_CountsLateNotDuplicate()
    {
        using var a = new Subject<BookTicker>();
        using var b = new Subject<BookTicker>();
        var race = new ArrivalRace(["a", "b"]);
        var seen = new List<long>();
        using IDisposable sub = new[] { a, b }.MergeFirstArrival(race).Subscribe(t => seen.Add(t.UpdateId));

        a.OnNext(Tick(10, 1));
        a.OnNext(Tick(30, 2));
        b.OnNext(Tick(20, 3));
        b.OnNext(Tick(30, 4));

        seen.Should().Equal(10, 30);
        race.Sources[1].Late.Should().Be(1);
        race.Sources[1].Duplicates.Should().Be(1);
        race.Sources[0].Lead.Count.Should().Be(1);
        race.Sources[0].Lead.Max.Should().Be(2);
    }

    [Fact]
    public void MergeFirstArrival_ThirdCopy_LeadIsOverTheRunnerUpOnly()
    {
        using var a = new Subject<BookTicker>();
        using var b = new Subject<BookTicker>();
        using var c = new Subject<BookTicker>();
        var race = new ArrivalRace(["a", "b", "c"]);
        using IDisposable sub = new[] { a, b, c }.MergeFirstArrival(race).Subscribe(_ => { });

        c.OnNext(Tick(1, 100));
        a.OnNext(Tick(1, 300));
        b.OnNext(Tick(1, 900));

        race.Sources[2].First.Should().Be(1);
        race.Sources[2].Lead.Count.Should().Be(1);
        race.Sources[2].Lead.Max.Should().Be(200);
        (race.Sources[0].Duplicates + race.Sources[1].Duplicates).Should().Be(2);
    }

    [Fact]
    public void MergeFirstArrival_SourceErrors_CountedAgainstIt()
    {
        using var a = new Subject<BookTicker>();
        using var b = new Subject<BookTicker>();
        var race = new ArrivalRace(["a", "b"]);
        var seen = new List<long>();
        using IDisposable sub = new[] { a, b }.MergeFirstArrival(race).Subscribe(t => seen.Add(t.UpdateId), _ => seen.Add(-1));

        a.OnError(new IOException("gone"));
        b.OnNext(Tick(1, 1));

        seen.Should().Equal(1);
        race.Sources[0].Errors.Should().Be(1);
        race.Sources[1].First.Should().Be(1);
    }
}
