using System.IO.Compression;
using System.Text.Json;
using RxFeed.Connection;
using RxFeed.Exchange;

namespace RxFeed.Integration.Tests;

/// <summary>
/// Make before break over real sockets: the exchange replays a real capture, so the delivered <c>u</c> sequence can be
/// checked against the recording itself — a contiguous run of it means nothing was lost and nothing repeated.
/// </summary>
public sealed class RolloverTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly Lazy<long[]> Recorded = new(ReadRecordedUpdateIds);

    [Fact]
    public async Task Frames_LifetimeRollover_NoGapNoDuplicate()
    {
        await using FeedHarness h = await StartReplay(o => o.ConnectionLifetime = TimeSpan.FromSeconds(2));
        await FeedHarness.WaitUntil(() => h.Connection.Counters.Rollovers >= 2, Bound, "two rollovers");
        await h.WaitForTicks(20, Bound, "ticks after the rollovers");

        AssertContiguousRunOfRecording(h);
        h.Connection.Counters.Reconnects.Should().Be(0);
        h.Links().Select(l => l.State).Should().NotContain(LinkState.Disconnected, "a make-before-break switch is not an outage");
    }

    [Fact]
    public async Task Frames_ServerShutdown_NoGapNoDuplicate()
    {
        // As on Binance, the exchange keeps serving the announced connection for a grace (minutes there): the replacement
        // opened on serverShutdown delivers before the 1001 close, so the switch is bridged like a lifetime rollover. A
        // grace of 1 s made that a race against connect + subscribe + first frame on a loaded machine; the old connection
        // is closed by the client once the replacement delivers, so a long grace costs the test nothing. The other
        // order (the close first, the replacement promoted) is FeedConnectionTests', in virtual time.
        await using FeedHarness h = await StartReplay(exchange: o => o.ShutdownGrace = TimeSpan.FromSeconds(30));
        await h.WaitForTicks(20, Bound, "first ticks");
        int before = h.TickCount();
        h.Exchange.Faults.ShutdownAll().Should().Be(1);
        await FeedHarness.WaitUntil(() => h.Connection.Counters.ConnectionsOpened >= 2, Bound, "a replacement connection");
        await FeedHarness.WaitUntil(() => h.Exchange.Counters.ActiveConnections == 1, Bound, "the announced connection closed");
        await h.WaitForTicks(20, Bound, "ticks after the old connection closed");

        h.TickCount().Should().BeGreaterThan(before);
        AssertContiguousRunOfRecording(h);
        h.Exchange.Counters.ServerShutdownsSent.Should().Be(1);
        h.Connection.Counters.ConnectionsOpened.Should().Be(2);
        h.Connection.Counters.Rollovers.Should().Be(1, "the replacement took over before the close");
        h.Connection.Counters.Reconnects.Should().Be(0);
        h.Links().Select(l => l.State).Should().NotContain(LinkState.Disconnected, "a bridged serverShutdown is not an outage");
    }

    private static Task<FeedHarness> StartReplay(Action<FeedConnectionOptions>? connection = null, Action<ExchangeOptions>? exchange = null) =>
        FeedHarness.StartAsync(
            exchange: exchange,
            market: new MarketOptions { ReplayFiles = { DataFile() }, Pace = ReplayPace.Times(4), Loop = false },
            connection: o =>
            {
                o.Symbols = ["ETHUSDT"];
                connection?.Invoke(o);
            });

    private static void AssertContiguousRunOfRecording(FeedHarness h)
    {
        long[] delivered = [.. h.Ticks().Select(t => t.UpdateId)];
        delivered.Should().NotBeEmpty();
        int start = Array.IndexOf(Recorded.Value, delivered[0]);
        start.Should().BeGreaterThanOrEqualTo(0, "the first delivered u is a recorded one");
        long[] expected = [.. Recorded.Value.Skip(start).Take(delivered.Length)];
        delivered.Should().Equal(expected, "the delivered u's are the recording's, in order, none lost, none repeated");
    }

    private static string DataFile()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "tests", "data", "binance-spot-ethusdt-20240808.txt.gz")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return Path.Combine(dir ?? throw new FileNotFoundException("tests/data not found"), "tests", "data", "binance-spot-ethusdt-20240808.txt.gz");
    }

    private static long[] ReadRecordedUpdateIds()
    {
        using var file = new GZipStream(File.OpenRead(DataFile()), CompressionMode.Decompress);
        using var reader = new StreamReader(file);
        var ids = new List<long>();
        while (reader.ReadLine() is { } line)
        {
            int brace = line.IndexOf('{', StringComparison.Ordinal);
            if (brace < 0 || !line.Contains("@bookTicker", StringComparison.Ordinal))
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line.AsMemory(brace));
            ids.Add(doc.RootElement.GetProperty("data").GetProperty("u").GetInt64());
        }

        return [.. ids];
    }
}
