using System.Net.WebSockets;
using System.Reactive.Linq;
using System.Text.Json;
using RxFeed.Exchange.Tests.Support;
using Websocket.Client;

namespace RxFeed.Exchange.Tests.Integration;

public sealed class WebsocketClientTests
{
    [Fact(Timeout = 15_000)]
    public async Task WebsocketClient_SubscribeOnBareWs_ReceivesAckDataAndAnswersPings()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(100);
            o.PongTimeout = TimeSpan.FromMilliseconds(500);
            o.MaxIncomingPerSecond = 50;
        });
        using var client = new WebsocketClient(new Uri(exchange.BaseUrl + "/ws"), () => new ClientWebSocket { Options = { KeepAliveInterval = TimeSpan.Zero } })
        {
            IsReconnectionEnabled = false,
        };
        var messages = client.MessageReceived.Select(m => m.Text ?? string.Empty).Replay();
        using var connection = messages.Connect();

        await client.StartOrFail();
        client.Send("{\"method\":\"SUBSCRIBE\",\"params\":[\"adausdt@bookTicker\"],\"id\":1}");
        var firstTwenty = await messages.Take(20).ToList().Timeout(TimeSpan.FromSeconds(5));
        await Task.Delay(400);

        firstTwenty[0].Should().Be("{\"result\":null,\"id\":1}");
        firstTwenty.Skip(1).Should().OnlyContain(m => JsonDocument.Parse(m).RootElement.GetProperty("s").GetString() == "ADAUSDT");
        exchange.Counters.PongsReceived.Should().BeGreaterThanOrEqualTo(3, "Websocket.Client's socket echoes the server's pings");
        exchange.Counters.PongTimeouts.Should().Be(0);
        client.IsRunning.Should().BeTrue();
        await client.Stop(WebSocketCloseStatus.NormalClosure, "done");
    }
}
