using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using RxFeed.Exchange.Tests.Support;

namespace RxFeed.Exchange.Tests.Integration;

public sealed class EndpointTests
{
    [Fact(Timeout = 10_000)]
    public async Task RawStreamPath_BookTicker_DeliversBarePayloads()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync();
        await using var client = await TestClient.ConnectAsync(exchange, "/ws/adausdt@bookTicker");

        var text = await client.ReceiveAsync();

        using var doc = JsonDocument.Parse(text);
        doc.RootElement.TryGetProperty("stream", out _).Should().BeFalse("a raw stream sends the payload alone");
        doc.RootElement.GetProperty("s").GetString().Should().Be("ADAUSDT");
        doc.RootElement.GetProperty("u").GetInt64().Should().BePositive();
    }

    [Fact(Timeout = 10_000)]
    public async Task RawStreamPath_TwoStreams_DeliversBoth()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync();
        await using var client = await TestClient.ConnectAsync(exchange, "/ws/adausdt@bookTicker/btcusdt@bookTicker");

        var symbols = new HashSet<string>();
        for (var i = 0; i < 40 && symbols.Count < 2; i++)
        {
            using var doc = JsonDocument.Parse(await client.ReceiveAsync());
            symbols.Add(doc.RootElement.GetProperty("s").GetString()!);
        }

        symbols.Should().BeEquivalentTo("ADAUSDT", "BTCUSDT");
    }

    [Fact(Timeout = 10_000)]
    public async Task CombinedStreamQuery_TwoStreams_WrapsEachFrame()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync();
        await using var client = await TestClient.ConnectAsync(exchange, "/stream?streams=adausdt@bookTicker/btcusdt@bookTicker");

        var streams = new HashSet<string>();
        for (var i = 0; i < 40 && streams.Count < 2; i++)
        {
            var text = await client.ReceiveAsync();
            text.Should().StartWith("{\"stream\":\"").And.EndWith("}}");
            using var doc = JsonDocument.Parse(text);
            var stream = doc.RootElement.GetProperty("stream").GetString()!;
            doc.RootElement.GetProperty("data").GetProperty("s").GetString().Should().Be(stream[..stream.IndexOf('@')].ToUpperInvariant());
            streams.Add(stream);
        }

        streams.Should().BeEquivalentTo("adausdt@bookTicker", "btcusdt@bookTicker");
    }

    [Fact(Timeout = 10_000)]
    public async Task BareWs_NoStreams_SendsNothingUntilSubscribed()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync();
        await using var client = await TestClient.ConnectAsync(exchange, "/ws");

        var act = () => client.ReceiveAsync(TimeSpan.FromMilliseconds(300));

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Theory(Timeout = 10_000)]
    [InlineData("/nope", HttpStatusCode.NotFound)]
    [InlineData("/ws/ADAUSDT@bookTicker", HttpStatusCode.BadRequest)]
    [InlineData("/stream?streams=adausdt", HttpStatusCode.BadRequest)]
    public async Task Upgrade_BadPath_IsRefusedWithStatus(string path, HttpStatusCode expected)
    {
        await using var exchange = await Exchanges.StartSyntheticAsync();
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        var act = () => socket.ConnectAsync(new Uri(exchange.BaseUrl + path), CancellationToken.None);

        await act.Should().ThrowAsync<WebSocketException>();
        socket.HttpStatusCode.Should().Be(expected);
    }

    [Fact(Timeout = 10_000)]
    public async Task PlainGet_NoUpgrade_Returns426()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync();
        using var http = new HttpClient();

        var response = await http.GetAsync(new Uri($"http://127.0.0.1:{exchange.Port}/ws"));

        response.StatusCode.Should().Be(HttpStatusCode.UpgradeRequired);
    }

    [Fact(Timeout = 10_000)]
    public async Task BaseUrl_OsChosenPort_IsLoopbackWs()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync();

        exchange.BaseUrl.Should().MatchRegex(@"^ws://127\.0\.0\.1:\d+$");
        exchange.Port.Should().BePositive();
    }

    [Fact(Timeout = 20_000)]
    public async Task FiftyClients_Concurrently_EachReceivesData()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync(rate: 20);
        var clients = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            TestClient.ConnectAsync(exchange, i % 2 == 0 ? "/ws/adausdt@bookTicker" : "/stream?streams=btcusdt@bookTicker")));
        try
        {
            exchange.Counters.ActiveConnections.Should().Be(50);
            var received = await Task.WhenAll(clients.Select(async c =>
            {
                for (var i = 0; i < 5; i++)
                {
                    await c.ReceiveAsync();
                }

                return 5;
            }));
            received.Sum().Should().Be(250);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }

        await Exchanges.WaitUntilAsync(() => exchange.Counters.ActiveConnections == 0);
        exchange.Counters.ConnectionsAccepted.Should().Be(50);
    }

    [Fact(Timeout = 10_000)]
    public async Task StartAsync_PortTaken_ThrowsIOException()
    {
        await using var first = await Exchanges.StartSyntheticAsync();

        var act = () => Exchanges.StartSyntheticAsync(o => o.Port = first.Port);

        await act.Should().ThrowAsync<IOException>();
    }

    [Fact(Timeout = 10_000)]
    public async Task StartAsync_BadOptions_ThrowsArgumentException()
    {
        var act = () => Exchanges.StartSyntheticAsync(o => o.MaxIncomingPerSecond = 0);

        await act.Should().ThrowAsync<ArgumentOutOfRangeException>();
    }
}
