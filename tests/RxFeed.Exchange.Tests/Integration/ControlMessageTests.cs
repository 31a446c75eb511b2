using System.Text.Json;
using RxFeed.Exchange.Tests.Support;

namespace RxFeed.Exchange.Tests.Integration;

public sealed class ControlMessageTests
{
    private static bool IsReply(string text) => text.Contains("\"id\"") || text.StartsWith("{\"code\"", StringComparison.Ordinal);

    [Fact(Timeout = 10_000)]
    public async Task Subscribe_OnBareWs_AcksWithNullResultThenStreams()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync();
        await using var client = await TestClient.ConnectAsync(exchange, "/ws");

        await client.SendAsync("{\"method\":\"SUBSCRIBE\",\"params\":[\"adausdt@bookTicker\"],\"id\":1}");

        (await client.ReceiveAsync()).Should().Be("{\"result\":null,\"id\":1}");
        using var doc = JsonDocument.Parse(await client.ReceiveAsync());
        doc.RootElement.GetProperty("s").GetString().Should().Be("ADAUSDT");
    }

    [Fact(Timeout = 10_000)]
    public async Task ListSubscriptions_AfterSubscribe_ListsInOrder()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync();
        await using var client = await TestClient.ConnectAsync(exchange, "/ws/btcusdt@bookTicker");

        await client.SendAsync("{\"method\":\"SUBSCRIBE\",\"params\":[\"adausdt@bookTicker\",\"ethusdt@trade\"],\"id\":2}");
        await client.ReceiveMatchingAsync(IsReply);
        await client.SendAsync("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":3}");

        (await client.ReceiveMatchingAsync(IsReply)).Should().Be("{\"result\":[\"btcusdt@bookTicker\",\"adausdt@bookTicker\",\"ethusdt@trade\"],\"id\":3}");
    }

    [Fact(Timeout = 10_000)]
    public async Task Unsubscribe_LastStream_AcksAndDataStops()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync();
        await using var client = await TestClient.ConnectAsync(exchange, "/ws/adausdt@bookTicker");
        await client.ReceiveAsync();

        await client.SendAsync("{\"method\":\"UNSUBSCRIBE\",\"params\":[\"adausdt@bookTicker\"],\"id\":312}");
        (await client.ReceiveMatchingAsync(IsReply)).Should().Be("{\"result\":null,\"id\":312}");
        await client.SendAsync("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":4}");

        (await client.ReceiveAsync()).Should().Be("{\"result\":[],\"id\":4}", "no market frame may arrive after the unsubscribe ack");
    }

    [Fact(Timeout = 10_000)]
    public async Task SetProperty_CombinedTrue_WrapsFramesAndGetPropertyReportsIt()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync();
        await using var client = await TestClient.ConnectAsync(exchange, "/ws");

        await client.SendAsync("{\"method\":\"GET_PROPERTY\",\"params\":[\"combined\"],\"id\":1}");
        (await client.ReceiveAsync()).Should().Be("{\"result\":false,\"id\":1}");
        await client.SendAsync("{\"method\":\"SET_PROPERTY\",\"params\":[\"combined\",true],\"id\":5}");
        (await client.ReceiveAsync()).Should().Be("{\"result\":null,\"id\":5}");
        await client.SendAsync("{\"method\":\"GET_PROPERTY\",\"params\":[\"combined\"],\"id\":2}");
        (await client.ReceiveAsync()).Should().Be("{\"result\":true,\"id\":2}");
        await client.SendAsync("{\"method\":\"SUBSCRIBE\",\"params\":[\"adausdt@bookTicker\"],\"id\":3}");
        await client.ReceiveMatchingAsync(IsReply);

        (await client.ReceiveAsync()).Should().StartWith("{\"stream\":\"adausdt@bookTicker\",\"data\":{\"u\":");
    }

    [Fact(Timeout = 10_000)]
    public async Task GetProperty_OnCombinedEndpoint_IsTrue()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync();
        await using var client = await TestClient.ConnectAsync(exchange, "/stream");

        await client.SendAsync("{\"method\":\"GET_PROPERTY\",\"params\":[\"combined\"],\"id\":7}");

        (await client.ReceiveAsync()).Should().Be("{\"result\":true,\"id\":7}");
    }

    [Theory(Timeout = 10_000)]
    [InlineData("{\"method\":\"SET_PROPERTY\",\"params\":[\"foo\",true],\"id\":5}", "{\"error\":{\"code\":0,\"msg\":\"Unknown property\"},\"id\":5}")]
    [InlineData("{\"method\":\"GET_PROPERTY\",\"params\":[\"foo\"],\"id\":6}", "{\"error\":{\"code\":0,\"msg\":\"Unknown property\"},\"id\":6}")]
    [InlineData("{\"method\":\"SET_PROPERTY\",\"params\":[\"combined\",\"yes\"],\"id\":5}", "{\"error\":{\"code\":1,\"msg\":\"Invalid value type: expected Boolean\"},\"id\":5}")]
    [InlineData("{\"method\":\"SET_PROPERTY\",\"params\":[1,true],\"id\":9}", "{\"error\":{\"code\":2,\"msg\":\"Invalid request: property name must be a string\"},\"id\":9}")]
    [InlineData("{\"method\":\"SUBSCRIBE\",\"params\":[\"adausdt@bookTicker\"],\"id\":\"a\"}", "{\"code\":2,\"msg\":\"Invalid request: request ID must be an unsigned integer\"}")]
    [InlineData("{\"method\":\"SUBSCRIBE\",\"params\":[\"adausdt@bookTicker\"],\"id\":-1}", "{\"code\":2,\"msg\":\"Invalid request: request ID must be an unsigned integer\"}")]
    [InlineData("{\"method\":\"SUBSCRIBE\",\"params\":[\"adausdt@bookTicker\"]}", "{\"code\":2,\"msg\":\"Invalid request: request ID must be an unsigned integer\"}")]
    [InlineData("{\"method\":\"SUBSCRIBE\",\"id\":12}", "{\"error\":{\"code\":2,\"msg\":\"Invalid request: missing field `params`\"},\"id\":12}")]
    [InlineData("{\"method\":\"SUBSCRIBE\",\"params\":[5],\"id\":13}", "{\"error\":{\"code\":2,\"msg\":\"Invalid request: invalid type: number 5, expected a stream name\"},\"id\":13}")]
    [InlineData("{\"params\":[],\"id\":8}", "{\"error\":{\"code\":2,\"msg\":\"Invalid request: missing field `method`\"},\"id\":8}")]
    [InlineData("{\"method\":\"LIST_SUBSCRIPTIONS\",\"params\":[\"x\"],\"id\":10}", "{\"error\":{\"code\":2,\"msg\":\"Invalid request: too many parameters\"},\"id\":10}")]
    [InlineData("{\"method\":\"SUBSCRIBE\",\"params\":[\"ADAUSDT@bookTicker\"],\"id\":11}", "{\"error\":{\"code\":2,\"msg\":\"Invalid request: invalid stream name `ADAUSDT@bookTicker`\"},\"id\":11}")]
    [InlineData("{\"method\":\"PING\",\"id\":7}", "{\"error\":{\"code\":2,\"msg\":\"Invalid request: unknown variant `PING`, expected one of `SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`\"},\"id\":7}")]
    [InlineData("{\"method\":\"SUBSCRIBE\",\"params\":[\"a@b\"],\"id\":1", "{\"code\":3,\"msg\":\"Invalid JSON: expected value at line 1 column 46\"}")]
    [InlineData("{\"method\":\"SUBSCRIBE\",\"params\":[\"\\ud800\"],\"id\":14}", "{\"code\":2,\"msg\":\"Invalid request: a string is not valid Unicode\"}")]
    [InlineData("not json", "{\"code\":3,\"msg\":\"Invalid JSON: expected value at line 1 column 2\"}")]
    public async Task BadRequest_Replies_WithBinanceErrorShape(string request, string expected)
    {
        await using var exchange = await Exchanges.StartSyntheticAsync();
        await using var client = await TestClient.ConnectAsync(exchange, "/ws");

        await client.SendAsync(request);

        (await client.ReceiveAsync()).Should().Be(expected);
        exchange.Counters.ErrorReplies.Should().Be(1);
    }

    [Fact(Timeout = 10_000)]
    public async Task Subscribe_PastMaxStreams_ErrorsAndAddsNothing()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync(o => o.MaxStreams = 2);
        await using var client = await TestClient.ConnectAsync(exchange, "/ws/adausdt@bookTicker");

        await client.SendAsync("{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@bookTicker\",\"ethusdt@bookTicker\"],\"id\":4}");
        (await client.ReceiveMatchingAsync(IsReply)).Should().Be("{\"error\":{\"code\":2,\"msg\":\"Invalid request: too many streams; a connection may hold at most 2\"},\"id\":4}");
        await client.SendAsync("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":5}");

        (await client.ReceiveMatchingAsync(IsReply)).Should().Be("{\"result\":[\"adausdt@bookTicker\"],\"id\":5}");
    }

    [Fact(Timeout = 10_000)]
    public async Task Subscribe_FragmentedMessage_IsReassembledAndAcked()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync();
        await using var client = await TestClient.ConnectAsync(exchange, "/ws");
        var text = System.Text.Encoding.UTF8.GetBytes("{\"method\":\"SUBSCRIBE\",\"params\":[\"adausdt@bookTicker\"],\"id\":21}");

        await client.Socket.SendAsync(text.AsMemory(0, 10), System.Net.WebSockets.WebSocketMessageType.Text, false, CancellationToken.None);
        await client.Socket.SendAsync(text.AsMemory(10), System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None);

        (await client.ReceiveAsync()).Should().Be("{\"result\":null,\"id\":21}");
    }
}
