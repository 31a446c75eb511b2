using System.Text.Json;
using RxFeed.Exchange.Faults;
using RxFeed.Exchange.Tests.Support;

namespace RxFeed.Exchange.Tests.Integration;

/// <summary>Two exchanges serving one synthetic market (same seed and start), and the latency faults between them.</summary>
public sealed class SharedMarketTests
{
    private const double Rate = 100;

    [Fact(Timeout = 30_000)]
    public async Task SameSeedAndStart_TwoExchanges_ServeTheSameTicks()
    {
        // A start after both clients are in: neither market has ticks to catch up on when its first client comes.
        var start = DateTimeOffset.UtcNow.AddSeconds(4);
        await using var a = await StartAsync(start);
        await using var b = await StartAsync(start);
        await using var clientA = await TestClient.ConnectAsync(a, "/ws/adausdt@bookTicker");
        await using var clientB = await TestClient.ConnectAsync(b, "/ws/adausdt@bookTicker");

        var fromA = await ReceiveAsync(clientA, 60);
        var fromB = await ReceiveAsync(clientB, 60);

        // The clients joined a few ticks apart: from the first u both saw, the frames are the same, byte for byte.
        var common = fromA.Keys.Intersect(fromB.Keys).ToList();
        common.Should().HaveCountGreaterThan(30);
        foreach (var u in common)
        {
            fromB[u].Text.Should().Be(fromA[u].Text);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task DelayFault_OnOneExchange_ItsCopyOfEachTickArrivesThatMuchLater()
    {
        var delay = TimeSpan.FromMilliseconds(30);
        // A start after both clients are in: neither market has ticks to catch up on when its first client comes.
        var start = DateTimeOffset.UtcNow.AddSeconds(4);
        await using var a = await StartAsync(start);
        await using var b = await StartAsync(start);
        FaultStep.Parse("0s delay 30ms").ApplyTo(a.Faults);
        await using var clientA = await TestClient.ConnectAsync(a, "/ws/adausdt@bookTicker");
        await using var clientB = await TestClient.ConnectAsync(b, "/ws/adausdt@bookTicker");

        var fromA = await ReceiveAsync(clientA, 100);
        var fromB = await ReceiveAsync(clientB, 100);

        var gaps = fromA.Keys.Intersect(fromB.Keys).Select(u => (fromA[u].At - fromB[u].At).TotalMilliseconds).Order().ToList();
        gaps.Should().HaveCountGreaterThan(50);
        double median = gaps[gaps.Count / 2];

        // Both markets wake at each tick's due time, so the gap is the delay plus timer slack on either side: B's late
        // wake-ups shorten it, A's lengthen it, by tens of ms on a loaded machine (the suite beside a replay). Without the
        // fault the median is ~0; with it, at least half the delay and no runaway.
        median.Should().BeInRange(delay.TotalMilliseconds / 2, delay.TotalMilliseconds + 250);
        gaps.Count(g => g > 0).Should().BeGreaterThan(gaps.Count * 9 / 10, "B's copy comes first for nearly every tick");
    }

    [Fact(Timeout = 30_000)]
    public async Task DelayZero_EndsTheDelay()
    {
        await using var a = await StartAsync(DateTimeOffset.UtcNow);
        a.Faults.Delay(TimeSpan.FromSeconds(5));
        await using var client = await TestClient.ConnectAsync(a, "/ws/adausdt@bookTicker");
        a.Faults.Delay(TimeSpan.Zero);

        // Frames queued in the first moment wait out the 5 s; everything after comes at the market's pace again.
        var started = TestClient.Clock.Elapsed;
        await ReceiveAsync(client, 10);
        (TestClient.Clock.Elapsed - started).Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    private static Task<LocalExchange> StartAsync(DateTimeOffset start) =>
        Exchanges.StartSyntheticAsync(o => o.Market.StartAt = start, Rate, "ADAUSDT");

    private static async Task<Dictionary<long, (string Text, TimeSpan At)>> ReceiveAsync(TestClient client, int count)
    {
        var frames = new Dictionary<long, (string Text, TimeSpan At)>();
        while (frames.Count < count)
        {
            var (text, at) = await client.ReceiveStampedAsync(TimeSpan.FromSeconds(10));
            using var json = JsonDocument.Parse(text);
            frames[json.RootElement.GetProperty("u").GetInt64()] = (text, at);
        }

        return frames;
    }
}
