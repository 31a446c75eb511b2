using System.Net;
using System.Net.WebSockets;
using RxFeed.Exchange.Faults;
using RxFeed.Exchange.Tests.Support;

namespace RxFeed.Exchange.Tests.Integration;

public sealed class FaultScriptTests
{
    [Fact(Timeout = 10_000)]
    public async Task RunAsync_Script_AppliesEachStepAtItsTime()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync();
        await using var client = await TestClient.ConnectAsync(exchange, "/ws/adausdt@bookTicker");
        var steps = FaultStep.ParseScript("0s refuse 1\n200ms close 4001 scripted close\n");

        await exchange.Faults.RunAsync(steps);

        var (status, description, _) = await client.ReadUntilClosedAsync();
        ((int?)status).Should().Be(4001);
        description.Should().Be("scripted close");
        using var refused = new ClientWebSocket();
        refused.Options.CollectHttpResponseDetails = true;
        var act = () => refused.ConnectAsync(new Uri(exchange.BaseUrl + "/ws"), CancellationToken.None);
        await act.Should().ThrowAsync<WebSocketException>();
        refused.HttpStatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
    }

    [Fact(Timeout = 10_000)]
    public async Task ConnectionAttempts_PastTheLimit_AreAnswered429()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync(o => o.MaxConnectionAttempts = 3);
        for (var i = 0; i < 3; i++)
        {
            await using var ok = await TestClient.ConnectAsync(exchange, "/ws");
        }

        using var fourth = new ClientWebSocket();
        fourth.Options.CollectHttpResponseDetails = true;
        var act = () => fourth.ConnectAsync(new Uri(exchange.BaseUrl + "/ws"), CancellationToken.None);

        await act.Should().ThrowAsync<WebSocketException>();
        fourth.HttpStatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        exchange.Counters.AttemptsLimited.Should().Be(1);
    }

    [Fact(Timeout = 10_000)]
    public async Task IncomingMessage_OverTheLimit_Closes1009()
    {
        await using var exchange = await Exchanges.StartSyntheticAsync(o => o.MaxIncomingMessageBytes = 1024);
        await using var client = await TestClient.ConnectAsync(exchange, "/ws");

        await client.SendAsync(new string('x', 2048));

        var (status, _, _) = await client.ReadUntilClosedAsync();
        status.Should().Be(WebSocketCloseStatus.MessageTooBig);
    }
}
