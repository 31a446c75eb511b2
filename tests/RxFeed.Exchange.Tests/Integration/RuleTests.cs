using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using RxFeed.Exchange.Frames;
using RxFeed.Exchange.Tests.Support;

namespace RxFeed.Exchange.Tests.Integration;

public sealed class RuleTests
{
    [Fact(Timeout = 10_000)]
    public async Task Ping_OnFixedSchedule_CarriesPayloadAndClientWebSocketEchoes()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(100);
            o.PongTimeout = TimeSpan.FromMilliseconds(400);
            o.MaxIncomingPerSecond = 50;
        });
        await using var client = await TestClient.ConnectAsync(exchange, "/ws/adausdt@bookTicker");

        // ClientWebSocket answers pings only while a receive is pending: keep reading. Judged by counts, not by a fixed
        // window: a cold test process (JIT, Kestrel start-up) can take most of a second before the first ping.
        var stopwatch = Stopwatch.StartNew();
        while (exchange.Counters.PingsSent < 6 || exchange.Counters.PongsReceived < 5)
        {
            stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(8), "pings go out every 100 ms and ClientWebSocket echoes each");
            await client.ReceiveAsync();
        }

        // Pongs lag pings by at most the one in flight: ClientWebSocket echoes every ping's payload.
        exchange.Counters.PongsReceived.Should().BeGreaterThanOrEqualTo(exchange.Counters.PingsSent - 1);
        exchange.Counters.PongTimeouts.Should().Be(0);
        client.Socket.State.Should().Be(WebSocketState.Open);
    }

    [Fact(Timeout = 10_000)]
    public async Task Ping_RawClient_SeesNonEmptyDistinctPayloadsAtTheInterval()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(150);
            o.MaxIncomingPerSecond = 50;
        });
        using var raw = await RawClient.ConnectAsync(exchange, "/ws");
        var payloads = new List<string>();
        var times = new List<TimeSpan>();
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < 4; i++)
        {
            var ping = await raw.ReadUntilAsync(WebSocketOpcode.Ping, TimeSpan.FromSeconds(2));
            ping.Should().NotBeNull();
            times.Add(clock.Elapsed);
            payloads.Add(Encoding.ASCII.GetString(ping!.Value.Payload));
            await raw.SendAsync(WebSocketOpcode.Pong, ping.Value.Payload);
        }

        payloads.Should().OnlyHaveUniqueItems().And.OnlyContain(p => p.Length > 0);
        var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToList();
        // Never early; on time as a rule (a late wake-up under load skips a ping rather than sending two close together).
        gaps.Should().OnlyContain(g => g > TimeSpan.FromMilliseconds(80));
        gaps.Order().ElementAt(gaps.Count / 2).Should().BeLessThan(TimeSpan.FromMilliseconds(400));
        await Exchanges.WaitUntilAsync(() => exchange.Counters.PongsReceived == 4, because: "every echoed pong counts");
    }

    [Fact(Timeout = 10_000)]
    public async Task PongTimeout_ClientNeverPongs_IsDisconnected()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(100);
            o.PongTimeout = TimeSpan.FromMilliseconds(300);
        });
        using var raw = await RawClient.ConnectAsync(exchange, "/ws");

        (await raw.EndsWithinAsync(TimeSpan.FromSeconds(3))).Should().BeTrue();

        exchange.Counters.PongTimeouts.Should().Be(1);
    }

    [Fact(Timeout = 10_000)]
    public async Task PongTimeout_OnlyUnsolicitedPongs_StillDisconnected()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(100);
            o.PongTimeout = TimeSpan.FromMilliseconds(400);
            o.MaxIncomingPerSecond = 100;
        });
        using var raw = await RawClient.ConnectAsync(exchange, "/ws");
        using var stop = new CancellationTokenSource();
        var pongs = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await raw.SendAsync(WebSocketOpcode.Pong, "keepalive"u8.ToArray());
                    await Task.Delay(50, stop.Token);
                }
                catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
                {
                    return;
                }
            }
        });

        var ended = await raw.EndsWithinAsync(TimeSpan.FromSeconds(3));
        stop.Cancel();
        await pongs;

        ended.Should().BeTrue("unsolicited pongs do not keep a connection alive");
        exchange.Counters.UnsolicitedPongs.Should().BePositive();
        exchange.Counters.PongTimeouts.Should().Be(1);
    }

    [Fact(Timeout = 10_000)]
    public async Task RateLimit_SixMessagesInASecond_ClosesWith1008()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync();
        await using var client = await TestClient.ConnectAsync(exchange, "/ws");

        for (var i = 1; i <= 6; i++)
        {
            await client.SendAsync($"{{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":{i}}}");
        }

        var (status, _, messages) = await client.ReadUntilClosedAsync();
        status.Should().Be(WebSocketCloseStatus.PolicyViolation);
        messages.Should().HaveCount(5, "the first five are within the limit");
        exchange.Counters.RateLimitCloses.Should().Be(1);
    }

    [Fact(Timeout = 10_000)]
    public async Task RateLimit_FivePerSecondSpreadOut_StaysOpen()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync();
        await using var client = await TestClient.ConnectAsync(exchange, "/ws");

        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 5; i++)
            {
                await client.SendAsync($"{{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":{(round * 10) + i}}}");
                (await client.ReceiveAsync()).Should().StartWith("{\"result\":[]");
            }

            await Task.Delay(1050);
        }

        exchange.Counters.RateLimitCloses.Should().Be(0);
        client.Socket.State.Should().Be(WebSocketState.Open);
    }

    [Fact(Timeout = 10_000)]
    public async Task RateLimit_PingsCount_SixPingsClose1008()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync();
        using var raw = await RawClient.ConnectAsync(exchange, "/ws");

        for (var i = 0; i < 6; i++)
        {
            await raw.SendAsync(WebSocketOpcode.Ping, [(byte)i]);
        }

        var close = await raw.ReadUntilAsync(WebSocketOpcode.Close, TimeSpan.FromSeconds(3));
        close.Should().NotBeNull();
        ((close!.Value.Payload[0] << 8) | close.Value.Payload[1]).Should().Be(1008);
        exchange.Counters.RateLimitCloses.Should().Be(1);
    }

    [Fact(Timeout = 10_000)]
    public async Task MaxLifetime_Reached_ClosesWithGoingAway()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync(o => o.MaxLifetime = TimeSpan.FromMilliseconds(400));
        await using var client = await TestClient.ConnectAsync(exchange, "/ws/adausdt@bookTicker");
        var clock = Stopwatch.StartNew();

        var (status, _, _) = await client.ReadUntilClosedAsync();

        status.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(300)).And.BeLessThan(TimeSpan.FromSeconds(3));
        exchange.Counters.LifetimeCloses.Should().Be(1);
    }

    [Fact(Timeout = 15_000)]
    public async Task SlowClient_NeverReads_IsDisconnectedAndCounted()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync(
            o => { o.SendQueueCapacity = 64; o.SendQueueMaxBytes = 64 * 1024; },
            rate: 4000,
            "ADAUSDT", "BTCUSDT", "ETHUSDT", "BNBUSDT");
        using var raw = await RawClient.ConnectAsync(exchange, "/stream", receiveBuffer: 4096);
        await raw.SendTextAsync("{\"method\":\"SUBSCRIBE\",\"params\":[\"adausdt@bookTicker\",\"btcusdt@bookTicker\",\"ethusdt@bookTicker\",\"bnbusdt@bookTicker\"],\"id\":1}");

        await Exchanges.WaitUntilAsync(() => exchange.Counters.SlowClientDisconnects == 1, TimeSpan.FromSeconds(10), "a client that never reads must be cut");

        await Exchanges.WaitUntilAsync(() => exchange.Counters.ActiveConnections == 0);
    }

    [Fact(Timeout = 10_000)]
    public async Task ClientClose_Normal_IsEchoed()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync();
        await using var client = await TestClient.ConnectAsync(exchange, "/ws");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));

        // Only send our close: the client's own receive loop reads the echo. CloseAsync would receive too, and race that
        // loop for the echo (the loser then sees the TCP close as a handshake never completed).
        await client.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
        var echo = await FluentActions.Awaiting(() => client.ReceiveAsync()).Should().ThrowAsync<ClosedException>();

        echo.Which.Status.Should().Be(WebSocketCloseStatus.NormalClosure);
        client.Socket.State.Should().Be(WebSocketState.Closed);
        client.Socket.CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
        await Exchanges.WaitUntilAsync(() => exchange.Counters.ActiveConnections == 0);
    }

    [Fact(Timeout = 10_000)]
    public async Task UnmaskedClientFrame_IsAProtocolError_Close1002()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync();
        using var raw = await RawClient.ConnectAsync(exchange, "/ws");

        await raw.SendAsync(WebSocketOpcode.Text, "{}"u8.ToArray(), mask: false);

        var close = await raw.ReadUntilAsync(WebSocketOpcode.Close, TimeSpan.FromSeconds(3));
        close.Should().NotBeNull();
        ((close!.Value.Payload[0] << 8) | close.Value.Payload[1]).Should().Be(1002);
        exchange.Counters.ProtocolErrors.Should().Be(1);
    }

    [Fact(Timeout = 10_000)]
    public async Task Stop_WithClientsConnected_AnnouncesShutdownAndEndsFast()
    {
        var exchange = await Exchanges.StartSyntheticAsync();
        var clients = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => TestClient.ConnectAsync(exchange, "/ws/adausdt@bookTicker")));
        var reads = clients.Select(c => c.ReadUntilClosedAsync()).ToArray();
        var clock = Stopwatch.StartNew();

        await exchange.DisposeAsync();

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(4));
        foreach (var result in await Task.WhenAll(reads))
        {
            result.Status.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
            result.Messages.Should().Contain(m => m.StartsWith("{\"e\":\"serverShutdown\",\"E\":", StringComparison.Ordinal));
        }

        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }
}
