using System.Reactive.Linq;
using RxFeed.Diagnostics;
using RxFeed.Exchange.Faults;
using RxFeed.Exchange.Tests.Support;

namespace RxFeed.Exchange.Tests.Integration;

/// <summary>The exchange's faults seen through RxFeed's own parsing chain: each bad frame lands in the class it was made for.</summary>
public sealed class PipelineTests
{
    [Fact(Timeout = 15_000)]
    public async Task BadFrames_ThroughToBookTickers_AreCountedInTheirClasses()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync(rate: 5, symbols: "ADAUSDT");
        await using var client = await TestClient.ConnectAsync(exchange, "/ws");
        await client.SendAsync("{\"method\":\"SUBSCRIBE\",\"params\":[\"adausdt@bookTicker\"],\"id\":1}");
        var frames = new List<string> { await client.ReceiveAsync() };
        frames.Add(await client.ReceiveAsync());

        foreach (var kind in Enum.GetValues<BadFrameKind>())
        {
            exchange.Faults.InjectBadFrames(kind, 1);
        }

        // Read until the seven injected frames are in: market ticks already queued for this client (a backlog on a loaded
        // machine) or sent meanwhile come between them, so no fixed number of frames is enough.
        FeedCounters counters;
        IList<BookTicker> delivered;
        FeedCountsSnapshot counts;
        do
        {
            frames.Add(await client.ReceiveAsync());
            counters = new FeedCounters();
            delivered = await frames.ToObservable().ToBookTickers(counters).ToList();
            counts = counters.Snapshot();
        }
        while (counts.Malformed + counts.Invalid + counts.OutOfOrder + counts.Inverted < 7 && frames.Count < 100);

        counts.Control.Should().Be(1, "the SUBSCRIBE ack");
        counts.Malformed.Should().Be(3, "garbage, truncated and oversized");
        counts.Invalid.Should().Be(1);
        counts.OutOfOrder.Should().Be(2, "the duplicate and the older u");
        counts.Inverted.Should().Be(1);
        counts.BookTickers.Should().Be(frames.Count - 1 - 7 + 1, "every market tick plus the inverted one");
        delivered.Select(t => t.UpdateId).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }
}
