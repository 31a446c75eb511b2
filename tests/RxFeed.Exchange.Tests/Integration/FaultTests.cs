using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using RxFeed.Exchange.Faults;
using RxFeed.Exchange.Frames;
using RxFeed.Exchange.Tests.Support;

namespace RxFeed.Exchange.Tests.Integration;

public sealed class FaultTests
{
    [Fact(Timeout = 10_000)]
    public async Task DropAll_EndsConnectionWithoutCloseFrame()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync();
        await using var client = await TestClient.ConnectAsync(exchange, "/ws/adausdt@bookTicker");
        await client.ReceiveAsync();

        exchange.Faults.DropAll().Should().Be(1);

        var (status, _, _) = await client.ReadUntilClosedAsync();
        status.Should().BeNull("a drop sends no close frame");
    }

    [Fact(Timeout = 10_000)]
    public async Task StallAll_SendsNoDataAndNoPongs()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync(o => o.MaxIncomingPerSecond = 50);
        using var raw = await RawClient.ConnectAsync(exchange, "/ws/adausdt@bookTicker");
        (await raw.ReadFrameAsync(TimeSpan.FromSeconds(2))).Should().NotBeNull("data flows before the stall");

        exchange.Faults.StallAll();
        await Task.Delay(100); // frames already in flight may still land
        while (await raw.ReadFrameAsync(TimeSpan.FromMilliseconds(100)) is not null)
        {
        }

        await raw.SendAsync(WebSocketOpcode.Ping, "anyone?"u8.ToArray());
        (await raw.ReadFrameAsync(TimeSpan.FromMilliseconds(600))).Should().BeNull("a half-open server sends nothing: no data, no pong");
        exchange.Counters.ActiveConnections.Should().Be(1, "the socket stays open: that is what makes it half-open");
    }

    [Fact(Timeout = 10_000)]
    public async Task ClientKeepAlive_ServerAnswersItsPings_ThenStallIsDetectedByTheClient()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync(o => o.MaxIncomingPerSecond = 50);
        await using var client = await TestClient.ConnectAsync(exchange, "/ws/adausdt@bookTicker", TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400));
        await Task.Delay(800);
        client.Socket.State.Should().Be(WebSocketState.Open, "the server echoes the client's keep-alive pings");

        exchange.Faults.StallAll();

        var (status, _, _) = await client.ReadUntilClosedAsync(TimeSpan.FromSeconds(4));
        status.Should().BeNull("ClientWebSocket's keep-alive timeout aborts a half-open connection");
    }

    [Fact(Timeout = 10_000)]
    public async Task CloseAll_WithCode_ClientSeesThatCode()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync();
        await using var client = await TestClient.ConnectAsync(exchange, "/ws/adausdt@bookTicker");

        exchange.Faults.CloseAll(4000, "bye");

        var (status, description, _) = await client.ReadUntilClosedAsync();
        ((int?)status).Should().Be(4000);
        description.Should().Be("bye");
    }

    [Fact(Timeout = 10_000)]
    public async Task CloseAll_CodeNotAllowedOnWire_Throws()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync();

        var act = () => exchange.Faults.CloseAll(1005);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Theory(Timeout = 10_000)]
    [InlineData("/ws/adausdt@bookTicker", "{\"e\":\"serverShutdown\",\"E\":")]
    [InlineData("/stream?streams=adausdt@bookTicker", "{\"stream\":\"!serverShutdown\",\"data\":{\"e\":\"serverShutdown\",\"E\":")]
    public async Task ShutdownAll_NoGrace_AnnouncesThenClosesGoingAway(string path, string expectedPrefix)
    {
        await using var exchange = await Exchanges.StartSyntheticAsync();
        await using var client = await TestClient.ConnectAsync(exchange, path);
        await client.ReceiveAsync();

        exchange.Faults.ShutdownAll(TimeSpan.Zero);

        var (status, _, messages) = await client.ReadUntilClosedAsync();
        status.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
        messages.Should().NotBeEmpty();
        messages[^1].Should().StartWith(expectedPrefix, "serverShutdown is the last frame before the close");
        using var doc = JsonDocument.Parse(messages[^1]);
        exchange.Counters.ServerShutdownsSent.Should().Be(1);
    }

    [Fact(Timeout = 10_000)]
    public async Task ShutdownAll_WithGrace_KeepsServingThenClosesGoingAway()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync(o => o.ShutdownGrace = TimeSpan.FromMilliseconds(800));
        await using var client = await TestClient.ConnectAsync(exchange, "/ws/adausdt@bookTicker");
        await client.ReceiveAsync();

        exchange.Faults.ShutdownAll().Should().Be(1);

        var (status, _, messages) = await client.ReadUntilClosedAsync();
        status.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
        var announced = messages.FindIndex(m => m.StartsWith("{\"e\":\"serverShutdown\",\"E\":", StringComparison.Ordinal));
        announced.Should().BeGreaterThanOrEqualTo(0, "the event comes before the close");
        messages.Skip(announced + 1).Should().HaveCountGreaterThan(10, "800 ms at 50 tickers/s are still served after the event")
            .And.OnlyContain(m => m.Contains("\"u\":", StringComparison.Ordinal), "only market data follows the event");
        exchange.Counters.ServerShutdownsSent.Should().Be(1);
    }

    [Fact(Timeout = 10_000)]
    public async Task ShutdownAll_ThenStopDuringGrace_AnnouncesOnceAndCloses()
    {
        var exchange = await Exchanges.StartSyntheticAsync(o => o.ShutdownGrace = TimeSpan.FromMinutes(5));
        await using var client = await TestClient.ConnectAsync(exchange, "/ws/adausdt@bookTicker");
        await client.ReceiveAsync();
        var read = client.ReadUntilClosedAsync();

        exchange.Faults.ShutdownAll();
        await exchange.DisposeAsync();

        var (status, _, messages) = await read;
        status.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
        messages.Count(m => m.Contains("serverShutdown", StringComparison.Ordinal)).Should().Be(1);
        exchange.Counters.ServerShutdownsSent.Should().Be(1);
    }

    [Fact(Timeout = 10_000)]
    public async Task RefuseNextUpgrades_Two_AnswersTwice503ThenAccepts()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync();
        exchange.Faults.RefuseNextUpgrades(2);

        for (var i = 0; i < 2; i++)
        {
            using var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            var act = () => socket.ConnectAsync(new Uri(exchange.BaseUrl + "/ws"), CancellationToken.None);
            await act.Should().ThrowAsync<WebSocketException>();
            socket.HttpStatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        }

        await using var client = await TestClient.ConnectAsync(exchange, "/ws");
        client.Socket.State.Should().Be(WebSocketState.Open);
        exchange.Counters.UpgradesRefused.Should().Be(2);
    }

    [Theory(Timeout = 10_000)]
    [InlineData(BadFrameKind.Garbage)]
    [InlineData(BadFrameKind.Truncated)]
    [InlineData(BadFrameKind.Oversized)]
    [InlineData(BadFrameKind.InvalidFields)]
    [InlineData(BadFrameKind.Duplicate)]
    [InlineData(BadFrameKind.OlderUpdateId)]
    [InlineData(BadFrameKind.Inverted)]
    public async Task InjectBadFrames_EachKind_ArrivesAsThatKindOfBad(BadFrameKind kind)
    {
        await using var exchange = await Exchanges.StartSyntheticAsync(rate: 5);
        await using var client = await TestClient.ConnectAsync(exchange, "/ws/adausdt@bookTicker");
        var seen = new List<string> { await client.ReceiveAsync() };

        exchange.Faults.InjectBadFrames(kind, 1).Should().Be(1);

        // The exchange copies (or steps back from) the newest tick it *sent*, which may be newer than the last one this
        // client had read when it injected: judge each frame against every frame that arrived before it, not one. Ticks
        // already queued for this client (a backlog on a loaded machine) come first, so read until the bad one shows.
        string? bad = null;
        for (var i = 0; i < 50 && bad is null; i++)
        {
            var frame = await client.ReceiveAsync();
            if (IsBad(kind, frame, seen))
            {
                bad = frame;
            }

            seen.Add(frame);
        }

        bad.Should().NotBeNull("the injected {0} frame arrives after the frames queued before it", kind);
        exchange.Counters.BadFramesInjected.Should().Be(1);
    }

    [Fact(Timeout = 10_000)]
    public async Task InjectBadFrames_Inverted_ThenMarketKeepsURising()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync(rate: 20);
        await using var client = await TestClient.ConnectAsync(exchange, "/ws/adausdt@bookTicker");
        await client.ReceiveAsync();

        exchange.Faults.InjectBadFrames(BadFrameKind.Inverted, 3);

        var ids = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            using var doc = JsonDocument.Parse(await client.ReceiveAsync());
            ids.Add(doc.RootElement.GetProperty("u").GetInt64());
        }

        ids.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }

    [Fact(Timeout = 10_000)]
    public async Task Burst_TenTimes_RaisesTheRateForItsDuration()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync(rate: 20, symbols: "ADAUSDT");
        await using var client = await TestClient.ConnectAsync(exchange, "/ws/adausdt@bookTicker");
        await client.ReceiveAsync();

        var normal = await CountForAsync(client, TimeSpan.FromMilliseconds(500));
        exchange.Faults.Burst(10, TimeSpan.FromMilliseconds(500));
        var burst = await CountForAsync(client, TimeSpan.FromMilliseconds(500));

        normal.Should().BeInRange(4, 20);
        burst.Should().BeGreaterThan(normal * 4, "10x the rate for the whole window");
    }

    [Fact(Timeout = 10_000)]
    public async Task Burst_ZeroTimes_SilencesTheMarket()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync(rate: 50, symbols: "ADAUSDT");
        await using var client = await TestClient.ConnectAsync(exchange, "/ws/adausdt@bookTicker");
        await client.ReceiveAsync();

        exchange.Faults.Burst(0, TimeSpan.FromMilliseconds(1500));
        await Task.Delay(300); // frames published before the silence drain
        var before = exchange.Counters.FramesSent;
        await Task.Delay(800);

        (exchange.Counters.FramesSent - before).Should().BeLessThanOrEqualTo(1, "a market at 0x publishes nothing");
        await client.ReceiveMatchingAsync(_ => true, TimeSpan.FromSeconds(3)); // and it comes back after the window
    }

    private static async Task<int> CountForAsync(TestClient client, TimeSpan window)
    {
        var clock = Stopwatch.StartNew();
        var count = 0;
        while (clock.Elapsed < window)
        {
            try
            {
                await client.ReceiveAsync(window - clock.Elapsed);
                count++;
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return count;
    }

    private static bool IsBad(BadFrameKind kind, string frame, IReadOnlyList<string> earlier)
    {
        var maxEarlierU = earlier.Max(f => JsonDocument.Parse(f).RootElement.GetProperty("u").GetInt64());
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(frame);
        }
        catch (JsonException)
        {
            return kind is BadFrameKind.Garbage or BadFrameKind.Truncated;
        }

        using (doc)
        {
            var root = doc.RootElement;
            return kind switch
            {
                BadFrameKind.Oversized => Encoding.UTF8.GetByteCount(frame) > 1 << 20,
                BadFrameKind.InvalidFields => root.GetProperty("b").GetString()!.StartsWith('-'),
                BadFrameKind.Duplicate => earlier.Contains(frame, StringComparer.Ordinal),
                BadFrameKind.OlderUpdateId => root.GetProperty("u").GetInt64() < maxEarlierU,
                BadFrameKind.Inverted => decimal.Parse(root.GetProperty("b").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
                    >= decimal.Parse(root.GetProperty("a").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
                    && root.GetProperty("u").GetInt64() > maxEarlierU,
                _ => false,
            };
        }
    }
}
