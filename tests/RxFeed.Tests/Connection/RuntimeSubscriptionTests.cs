using System.Text.Json;
using Microsoft.Reactive.Testing;
using RxFeed.Connection;

namespace RxFeed.Tests.Connection;

/// <summary>Subscribe / Unsubscribe while running, the ack deadline and reconciliation, against the in-memory exchange.</summary>
public sealed class RuntimeSubscriptionTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private readonly TestScheduler _scheduler = new();
    private readonly ScriptedExchange _exchange;
    private readonly List<string> _frames = [];
    private readonly List<LinkEvent> _links = [];
    private Exception? _error;

    public RuntimeSubscriptionTests() => _exchange = new ScriptedExchange(_scheduler);

    [Fact]
    public void Subscribe_WhileRunning_SendsOnlyTheNewStreamAndAcksIt()
    {
        FeedConnection connection = Start(Options("ADAUSDT"));
        _exchange.StartMarket(Tick, "ADAUSDT", "BTCUSDT");
        Advance(TimeSpan.FromSeconds(2));

        (List<SubscriptionResult> results, Func<bool> completed) = Collect(connection.Subscribe("btcusdt"));
        Advance(TimeSpan.FromSeconds(2));

        results.Should().Equal(new SubscriptionResult("BTCUSDT", SubscriptionOutcome.Acked));
        completed().Should().BeTrue();
        ScriptedSocket socket = _exchange.Sockets.Should().ContainSingle("adding a stream never reconnects").Subject;
        socket.Sent.Select(s => Method(s.Text)).Should().Equal("SUBSCRIBE", "LIST_SUBSCRIPTIONS", "SUBSCRIBE");
        Params(socket.Sent[2].Text).Should().Equal("btcusdt@bookTicker");
        socket.Held.Should().BeEquivalentTo("adausdt@bookTicker", "btcusdt@bookTicker");
        _frames.Should().Contain(f => f.Contains("\"BTCUSDT\"", StringComparison.Ordinal));
        connection.Symbols.Should().Equal("ADAUSDT", "BTCUSDT");
        _error.Should().BeNull();
    }

    [Fact]
    public void Subscribe_AlreadySubscribed_AckedAtOnceWithoutARequest()
    {
        FeedConnection connection = Start(Options("ADAUSDT"));
        Advance(TimeSpan.FromSeconds(2));

        (List<SubscriptionResult> results, Func<bool> completed) = Collect(connection.Subscribe("ADAUSDT"));

        results.Should().Equal(new SubscriptionResult("ADAUSDT", SubscriptionOutcome.Acked));
        completed().Should().BeTrue();
        _exchange.Sockets[0].Sent.Should().HaveCount(2, "the first SUBSCRIBE and its LIST only");
    }

    [Fact]
    public void Unsubscribe_BeforeTheSubscribeIsAnswered_TheSubscribeEndsCancelled()
    {
        FeedConnection connection = Start(Options("ADAUSDT"));
        _exchange.StartMarket(Tick, "ADAUSDT", "BTCUSDT");
        Advance(TimeSpan.FromSeconds(2));

        (List<SubscriptionResult> subscribed, Func<bool> subscribeDone) = Collect(connection.Subscribe("BTCUSDT"));
        (List<SubscriptionResult> unsubscribed, Func<bool> unsubscribeDone) = Collect(connection.Unsubscribe("BTCUSDT"));

        subscribed.Should().Equal(new SubscriptionResult("BTCUSDT", SubscriptionOutcome.Cancelled));
        subscribeDone().Should().BeTrue("a subscribe never waits for ever on an answer no one needs");
        Advance(TimeSpan.FromSeconds(3));
        unsubscribeDone().Should().BeTrue();
        unsubscribed.Should().ContainSingle().Which.Symbol.Should().Be("BTCUSDT");
        connection.Symbols.Should().Equal("ADAUSDT");
        _error.Should().BeNull();
    }

    [Fact]
    public void Subscribe_ServerRefuses_RefusedWithCodeAndDropped()
    {
        _exchange.Refused.Add("badusdt@bookTicker");
        FeedConnection connection = Start(Options("ADAUSDT"));
        Advance(TimeSpan.FromSeconds(2));

        (List<SubscriptionResult> results, _) = Collect(connection.Subscribe("BADUSDT"));
        Advance(TimeSpan.FromSeconds(2));

        SubscriptionResult result = results.Should().ContainSingle().Subject;
        result.Outcome.Should().Be(SubscriptionOutcome.Refused);
        result.Code.Should().Be(2);
        result.Message.Should().Contain("invalid stream name");
        connection.Symbols.Should().Equal(["ADAUSDT"], "a refused stream is not retried on every reconnect");
        connection.Counters.RequestErrors.Should().Be(1);
    }

    [Fact]
    public void Subscribe_FullShard_OpensASecondConnection()
    {
        FeedConnectionOptions options = Options("AUSDT", "BUSDT");
        options.MaxStreamsPerConnection = 2;
        FeedConnection connection = Start(options);
        _exchange.StartMarket(Tick, "AUSDT", "BUSDT", "CUSDT");
        Advance(TimeSpan.FromSeconds(2));

        (List<SubscriptionResult> results, _) = Collect(connection.Subscribe("CUSDT"));
        Advance(TimeSpan.FromSeconds(2));

        results.Should().Equal(new SubscriptionResult("CUSDT", SubscriptionOutcome.Acked));
        _exchange.Sockets.Should().HaveCount(2);
        _exchange.Sockets[0].Held.Should().HaveCount(2);
        _exchange.Sockets[1].Held.Should().Equal("cusdt@bookTicker");
        connection.Shards.Select(s => s.Count).Should().Equal(2, 1);
        _frames.Should().Contain(f => f.Contains("\"CUSDT\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Unsubscribe_LastStreamOfAShard_ClosesThatConnectionOnly()
    {
        FeedConnectionOptions options = Options("AUSDT", "BUSDT", "CUSDT");
        options.MaxStreamsPerConnection = 2;
        FeedConnection connection = Start(options);
        _exchange.StartMarket(Tick, "AUSDT", "BUSDT", "CUSDT");
        Advance(TimeSpan.FromSeconds(2));

        (List<SubscriptionResult> results, Func<bool> completed) = Collect(connection.Unsubscribe("CUSDT"));
        Advance(TimeSpan.FromSeconds(2));
        int cFrames = _frames.Count(f => f.Contains("\"CUSDT\"", StringComparison.Ordinal));
        Advance(TimeSpan.FromSeconds(5));

        results.Should().Equal(new SubscriptionResult("CUSDT", SubscriptionOutcome.Acked));
        completed().Should().BeTrue();
        _exchange.Sockets[1].ClosedByClient.Should().Be(1000);
        _exchange.Sockets[0].IsOpen.Should().BeTrue();
        _exchange.Sockets.Should().HaveCount(2, "a closed shard is not reconnected");
        _frames.Count(f => f.Contains("\"CUSDT\"", StringComparison.Ordinal)).Should().Be(cFrames);
        connection.Shards.Should().ContainSingle();
        _links.Should().ContainSingle(l => l.State == LinkState.Removed).Which.Symbols.Should().Equal("CUSDT");
    }

    [Fact]
    public void Unsubscribe_OneOfSeveral_RemovedFirstThenUnsubscribeAndNoMoreFrames()
    {
        FeedConnection connection = Start(Options("ADAUSDT", "BTCUSDT"));
        _exchange.StartMarket(Tick, "ADAUSDT", "BTCUSDT");
        Advance(TimeSpan.FromSeconds(2));
        ScriptedSocket socket = _exchange.Sockets[0];
        int sentBefore = socket.Sent.Count;

        (List<SubscriptionResult> results, _) = Collect(connection.Unsubscribe("ADAUSDT"));
        LinkEvent removed = _links[^1];
        int sentAtRemoved = socket.Sent.Count;
        Advance(TimeSpan.FromMilliseconds(50));
        int adaFrames = _frames.Count(f => f.Contains("\"ADAUSDT\"", StringComparison.Ordinal));
        Advance(TimeSpan.FromSeconds(3));

        removed.State.Should().Be(LinkState.Removed);
        removed.Symbols.Should().Equal("ADAUSDT");
        sentAtRemoved.Should().BeLessThanOrEqualTo(sentBefore + 1);
        Method(socket.Sent[^1].Text).Should().Be("UNSUBSCRIBE");
        results.Should().Equal(new SubscriptionResult("ADAUSDT", SubscriptionOutcome.Acked));
        _frames.Count(f => f.Contains("\"ADAUSDT\"", StringComparison.Ordinal)).Should().Be(adaFrames, "no frame of it after the ack");
        _frames.Should().Contain(f => f.Contains("\"BTCUSDT\"", StringComparison.Ordinal));
        connection.Symbols.Should().Equal("BTCUSDT");
    }

    [Fact]
    public void Request_NoReplyWithinAckTimeout_TimedOutCountedAndReconnected()
    {
        FeedConnectionOptions options = Options("ADAUSDT");
        options.AckTimeout = TimeSpan.FromSeconds(3);
        FeedConnection connection = Start(options);
        _exchange.StartMarket(Tick, "ADAUSDT", "BTCUSDT");
        Advance(TimeSpan.FromSeconds(2));
        _exchange.IgnoreRequests = 1;

        (List<SubscriptionResult> results, _) = Collect(connection.Subscribe("BTCUSDT"));
        Advance(TimeSpan.FromSeconds(3) - TimeSpan.FromMilliseconds(1));
        results.Should().BeEmpty("one frame before the deadline nothing is decided");
        Advance(TimeSpan.FromMilliseconds(1));
        results.Should().Equal(new SubscriptionResult("BTCUSDT", SubscriptionOutcome.TimedOut));
        int framesAtTimeout = _frames.Count;
        Advance(TimeSpan.FromSeconds(5));

        connection.Counters.AckTimeouts.Should().Be(1);
        _exchange.Sockets.Should().HaveCount(2, "the connection was treated as broken");
        _exchange.Sockets[1].Held.Should().BeEquivalentTo("adausdt@bookTicker", "btcusdt@bookTicker");
        _frames.Skip(framesAtTimeout).Should().Contain(f => f.Contains("\"BTCUSDT\"", StringComparison.Ordinal));
        _links.Select(l => l.State).Should().Contain(LinkState.Disconnected);
        _error.Should().BeNull();
    }

    [Fact]
    public void Reconcile_ServerForgotAStream_RepairedWithinOneIntervalAndCounted()
    {
        FeedConnectionOptions options = Options("ADAUSDT", "BTCUSDT");
        options.ReconcileInterval = TimeSpan.FromSeconds(30);
        FeedConnection connection = Start(options);
        _exchange.StartMarket(Tick, "ADAUSDT", "BTCUSDT");
        Advance(TimeSpan.FromSeconds(5));
        ScriptedSocket socket = _exchange.Sockets[0];
        socket.Held.Remove("btcusdt@bookTicker"); // forgotten, nothing said
        Advance(TimeSpan.FromSeconds(27));

        socket.Sent.Select(s => Method(s.Text)).Should().Equal("SUBSCRIBE", "LIST_SUBSCRIPTIONS", "LIST_SUBSCRIPTIONS", "SUBSCRIBE", "LIST_SUBSCRIPTIONS");
        Params(socket.Sent[3].Text).Should().Equal("btcusdt@bookTicker");
        socket.Held.Should().Contain("btcusdt@bookTicker");
        connection.Counters.Reconciled.Should().Be(1);
        _exchange.Sockets.Should().ContainSingle("repairs need no reconnect");
    }

    [Fact]
    public void Reconcile_ListedButSilentWhileOthersFlow_Resubscribed()
    {
        FeedConnectionOptions options = Options("ADAUSDT", "BTCUSDT");
        options.ReconcileInterval = TimeSpan.FromSeconds(30);
        FeedConnection connection = Start(options);
        _exchange.StartMarket(Tick, "ADAUSDT", "BTCUSDT");
        Advance(TimeSpan.FromSeconds(5));
        ScriptedSocket socket = _exchange.Sockets[0];
        _exchange.ListAnswer = (_, _, held) => [.. held.Append("btcusdt@bookTicker").Distinct()];
        socket.Held.Remove("btcusdt@bookTicker"); // no data, but still listed
        Advance(TimeSpan.FromSeconds(60));

        string[] methods = [.. socket.Sent.Select(s => Method(s.Text))];
        methods.Should().ContainInOrder("UNSUBSCRIBE", "SUBSCRIBE");
        socket.Held.Should().Contain("btcusdt@bookTicker");
        connection.Counters.Reconciled.Should().BeGreaterThanOrEqualTo(1);
        connection.Counters.Reconciled.Should().BeLessThanOrEqualTo(2, "only the silent one, and only once it is silent for a whole interval");
    }

    private static (List<SubscriptionResult> Results, Func<bool> Completed) Collect(IObservable<SubscriptionResult> source)
    {
        var results = new List<SubscriptionResult>();
        bool completed = false;
        source.Subscribe(results.Add, () => completed = true);
        return (results, () => completed);
    }

    private static string Method(string text) => JsonDocument.Parse(text).RootElement.GetProperty("method").GetString()!;

    private static string[] Params(string text) =>
        [.. JsonDocument.Parse(text).RootElement.GetProperty("params").EnumerateArray().Select(e => e.GetString()!)];

    private static FeedConnectionOptions Options(params string[] symbols) => new()
    {
        Endpoint = new Uri("ws://127.0.0.1:1/ws"),
        Symbols = symbols,
        StaleAfter = TimeSpan.FromSeconds(5),
        ReconnectInitial = TimeSpan.FromSeconds(1),
        ReconnectMax = TimeSpan.FromSeconds(8),
        BackoffJitter = () => 1.0,
    };

    private FeedConnection Start(FeedConnectionOptions options)
    {
        var connection = new FeedConnection(options, _exchange, scheduler: _scheduler);
        connection.Links.Subscribe(_links.Add);
        connection.Frames.Subscribe(_frames.Add, e => _error = e);
        return connection;
    }

    private void Advance(TimeSpan by) => _scheduler.AdvanceBy(by.Ticks);
}
