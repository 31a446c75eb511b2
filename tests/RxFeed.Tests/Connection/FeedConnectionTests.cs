using System.Reactive.Linq;
using System.Text.Json;
using Microsoft.Reactive.Testing;
using RxFeed.Connection;

namespace RxFeed.Tests.Connection;

public sealed class FeedConnectionTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private readonly TestScheduler _scheduler = new();
    private readonly ScriptedExchange _exchange;
    private readonly List<string> _frames = [];
    private readonly List<LinkEvent> _links = [];
    private Exception? _error;

    public FeedConnectionTests() => _exchange = new ScriptedExchange(_scheduler);

    [Fact]
    public void Frames_OnConnect_SubscribesWithIdThenConfirmsWithList()
    {
        FeedConnection connection = Start(Options("ADAUSDT", "BTCUSDT"));
        _exchange.StartMarket(Tick, "ADAUSDT", "BTCUSDT");
        Advance(TimeSpan.FromSeconds(1));

        ScriptedSocket socket = _exchange.Sockets.Should().ContainSingle().Subject;
        string[] methods = [.. socket.Sent.Select(s => Method(s.Text))];
        methods.Should().Equal("SUBSCRIBE", "LIST_SUBSCRIPTIONS");
        Params(socket.Sent[0].Text).Should().BeEquivalentTo("adausdt@bookTicker", "btcusdt@bookTicker");
        Ids(socket.Sent).Should().OnlyHaveUniqueItems();
        _frames.Should().Contain(f => f.Contains("\"u\":", StringComparison.Ordinal));
        connection.Counters.ConnectionsOpened.Should().Be(1);
        connection.Counters.ResubscribeMismatches.Should().Be(0);
        _links.Select(l => l.State).Should().Equal(LinkState.Connecting, LinkState.Connected);
        _error.Should().BeNull();
    }

    [Fact]
    public void Frames_AfterDrop_ResubscribesExactlyTheCurrentSet()
    {
        FeedConnection connection = Start(Options("ADAUSDT", "BTCUSDT", "ETHUSDT"));
        _exchange.StartMarket(Tick, "ADAUSDT", "BTCUSDT", "ETHUSDT");
        Advance(TimeSpan.FromSeconds(1));
        _exchange.Sockets[0].Drop(null);
        Advance(TimeSpan.FromSeconds(3));

        _exchange.Sockets.Should().HaveCount(2);
        ScriptedSocket second = _exchange.Sockets[1];
        second.Held.Should().BeEquivalentTo(_exchange.Sockets[0].Held, "a reconnect holds exactly what the old connection held");
        second.Sent.Select(s => Method(s.Text)).Should().Equal("SUBSCRIBE", "LIST_SUBSCRIPTIONS");
        connection.Counters.Reconnects.Should().Be(1);
        _links.Select(l => l.State).Should().Equal(LinkState.Connecting, LinkState.Connected, LinkState.Disconnected, LinkState.Connected);
        _error.Should().BeNull();
    }

    [Fact]
    public void Frames_ListDisagrees_FixesAndCountsTheMismatch()
    {
        // The server "forgets" btcusdt in its first answer on each connection.
        _exchange.ListAnswer = (socket, round, held) =>
        {
            if (round == 0)
            {
                socket.Held.Remove("btcusdt@bookTicker");
                return [.. held.Where(s => s != "btcusdt@bookTicker")];
            }

            return held;
        };
        FeedConnection connection = Start(Options("ADAUSDT", "BTCUSDT"));
        Advance(TimeSpan.FromSeconds(2));

        ScriptedSocket socket = _exchange.Sockets.Should().ContainSingle().Subject;
        socket.Sent.Select(s => Method(s.Text)).Should().Equal("SUBSCRIBE", "LIST_SUBSCRIPTIONS", "SUBSCRIBE", "LIST_SUBSCRIPTIONS");
        Params(socket.Sent[2].Text).Should().Equal("btcusdt@bookTicker");
        socket.Held.Should().BeEquivalentTo("adausdt@bookTicker", "btcusdt@bookTicker");
        connection.Counters.ResubscribeMismatches.Should().Be(1);
    }

    [Fact]
    public void Frames_ManySmallRequests_NeverExceedTheBudgetInAnySecond()
    {
        FeedConnectionOptions options = Options([.. Enumerable.Range(0, 12).Select(i => $"SYM{i}USDT")]);
        options.MaxStreamsPerRequest = 1;
        FeedConnection connection = Start(options);
        _exchange.StartMarket(Tick, "SYM0USDT");
        Advance(TimeSpan.FromSeconds(10));

        ScriptedSocket socket = _exchange.Sockets.Should().ContainSingle().Subject;
        socket.Sent.Should().HaveCount(13, "12 SUBSCRIBEs and one LIST_SUBSCRIPTIONS");
        MaxInAnySecond(socket.Sent.Select(s => s.At)).Should().BeLessThanOrEqualTo(options.OutboundMessagesPerSecond);
        connection.Counters.BudgetWaits.Should().BeGreaterThan(0);
        socket.Held.Should().HaveCount(12);
    }

    [Fact]
    public void Frames_MoreThan1024Streams_SpreadOverSeveralConnections()
    {
        FeedConnectionOptions options = Options([.. Enumerable.Range(0, 2500).Select(i => $"S{i}USDT")]);
        FeedConnection connection = Start(options);
        _exchange.StartMarket(Tick, "S0USDT", "S1024USDT", "S2048USDT");
        Advance(TimeSpan.FromSeconds(10));

        connection.Shards.Select(s => s.Count).Should().Equal(1024, 1024, 452);
        _exchange.Sockets.Should().HaveCount(3);
        _exchange.Sockets.Select(s => s.Held.Count).Should().BeEquivalentTo([1024, 1024, 452]);
        _exchange.Sockets.SelectMany(s => s.Held).Should().OnlyHaveUniqueItems().And.HaveCount(2500);
    }

    [Fact]
    public void Frames_HalfOpenSocket_TornDownWithinStaleAfterAndReplaced()
    {
        FeedConnectionOptions options = Options("ADAUSDT");
        options.StaleAfter = TimeSpan.FromSeconds(3);
        FeedConnection connection = Start(options);
        _exchange.StartMarket(Tick, "ADAUSDT");
        Advance(TimeSpan.FromSeconds(2));
        DateTimeOffset stalledAt = _scheduler.Now;
        _exchange.Sockets[0].Stalled = true; // no data, no close: half-open
        Advance(TimeSpan.FromSeconds(10));

        ScriptedSocket first = _exchange.Sockets[0];
        first.EndedAt.Should().NotBeNull();
        (first.EndedAt!.Value - stalledAt).Should().BeLessThanOrEqualTo(options.StaleAfter + Tick);
        _exchange.Sockets.Should().HaveCount(2);
        (_exchange.Sockets[1].OpenedAt!.Value - first.EndedAt.Value).Should().BeLessThanOrEqualTo(options.ReconnectInitial + _exchange.ConnectDelay);
        connection.Counters.Reconnects.Should().Be(1);
        _error.Should().BeNull();
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(1008)]
    [InlineData(null)]
    public void Frames_ServerCloses_RecoversThroughBackoff(int? code)
    {
        FeedConnection connection = Start(Options("ADAUSDT"));
        _exchange.StartMarket(Tick, "ADAUSDT");
        Advance(TimeSpan.FromSeconds(1));
        _exchange.Sockets[0].Drop(code);
        Advance(TimeSpan.FromSeconds(5));
        int before = _frames.Count;
        Advance(TimeSpan.FromSeconds(1));

        _exchange.Sockets.Should().HaveCount(2);
        _frames.Count.Should().BeGreaterThan(before, "the replacement delivers");
        connection.Counters.Disconnects.Should().Be(1);
        _error.Should().BeNull();
    }

    [Fact]
    public void Frames_UpgradeRefused_RetriesWithGrowingCappedDelays()
    {
        _exchange.Refuse = i => i < 5;
        FeedConnectionOptions options = Options("ADAUSDT");
        options.ReconnectInitial = TimeSpan.FromSeconds(1);
        options.ReconnectMax = TimeSpan.FromSeconds(4);
        options.BackoffJitter = () => 1.0; // the top of each full-jitter range, so the caps are visible
        FeedConnection connection = Start(options);
        _exchange.StartMarket(Tick, "ADAUSDT");
        Advance(TimeSpan.FromMinutes(1));

        _exchange.Sockets.Should().HaveCount(6);
        double[] gaps = [.. _exchange.Sockets.Zip(_exchange.Sockets.Skip(1)).Select(p => (p.Second.CreatedAt - p.First.CreatedAt - _exchange.ConnectDelay).TotalSeconds)];
        gaps.Should().Equal([1, 2, 4, 4, 4], "exponential from the initial delay, capped at the max");
        _frames.Should().NotBeEmpty();
        connection.Counters.ConnectionsOpened.Should().Be(1);
        connection.Counters.Attempts.Should().Be(6);
        _error.Should().BeNull();
    }

    [Fact]
    public void Frames_LifetimeReached_SwitchesMakeBeforeBreakWithoutGap()
    {
        FeedConnectionOptions options = Options("ADAUSDT");
        options.ConnectionLifetime = TimeSpan.FromMinutes(1);
        FeedConnection connection = Start(options);
        _exchange.StartMarket(Tick, "ADAUSDT");
        Advance(TimeSpan.FromSeconds(90));

        _exchange.Sockets.Should().HaveCount(2);
        ScriptedSocket old = _exchange.Sockets[0], replacement = _exchange.Sockets[1];
        replacement.OpenedAt.Should().BeBefore(old.EndedAt!.Value, "the new connection opens before the old one closes");
        old.ClosedByClient.Should().Be(1000);
        AssertNoGapNoDuplicate();
        connection.Counters.Rollovers.Should().Be(1);
        connection.Counters.Reconnects.Should().Be(0);
        _links.Select(l => l.State).Should().NotContain(LinkState.Disconnected, "a make-before-break switch is not an outage");
    }

    [Theory]
    [InlineData("{\"e\":\"serverShutdown\",\"E\":1}")]
    [InlineData("{\"stream\":\"!serverShutdown\",\"data\":{\"e\":\"serverShutdown\",\"E\":1}}")]
    public void Frames_ServerShutdown_SwitchesAtOnceWithoutGap(string announcement)
    {
        FeedConnection connection = Start(Options("ADAUSDT"));
        _exchange.StartMarket(Tick, "ADAUSDT");
        Advance(TimeSpan.FromSeconds(2));
        _exchange.Sockets[0].Push(announcement);
        Advance(TimeSpan.FromSeconds(1));

        _exchange.Sockets.Should().HaveCount(2);
        _exchange.Sockets[0].ClosedByClient.Should().Be(1000);
        _exchange.Sockets[1].IsOpen.Should().BeTrue();
        Advance(TimeSpan.FromSeconds(2));
        AssertNoGapNoDuplicate();
        connection.Counters.Rollovers.Should().Be(1);
    }

    [Fact]
    public void Frames_OldClosesBeforeReplacementDelivers_ReplacementCarriesOn()
    {
        _exchange.ConnectDelay = TimeSpan.FromMilliseconds(500);
        FeedConnection connection = Start(Options("ADAUSDT"));
        _exchange.StartMarket(Tick, "ADAUSDT");
        Advance(TimeSpan.FromSeconds(2));
        _exchange.Sockets[0].Push("{\"e\":\"serverShutdown\",\"E\":1}");
        Advance(TimeSpan.FromMilliseconds(100));
        _exchange.Sockets[0].Drop(1001);
        Advance(TimeSpan.FromSeconds(3));

        _exchange.Sockets.Should().HaveCount(2, "the pending replacement is promoted instead of a third connection");
        _links.Select(l => l.State).Should().Equal(LinkState.Connecting, LinkState.Connected, LinkState.Disconnected, LinkState.Connected);
        _frames.Should().Contain(f => f.Contains("\"u\":", StringComparison.Ordinal));
        connection.Counters.Disconnects.Should().Be(0, "the shard never stopped: its replacement was already on the way");
        _error.Should().BeNull();
    }

    [Fact]
    public void Frames_Disposed_ClosesNormallyAndSendsNothingMore()
    {
        var connection = new FeedConnection(Options("ADAUSDT"), _exchange, scheduler: _scheduler);
        IDisposable subscription = connection.Frames.Subscribe(_frames.Add);
        _exchange.StartMarket(Tick, "ADAUSDT");
        Advance(TimeSpan.FromSeconds(1));
        subscription.Dispose();
        int count = _frames.Count;
        Advance(TimeSpan.FromSeconds(30));

        _exchange.Sockets.Should().ContainSingle().Which.ClosedByClient.Should().Be(1000);
        _frames.Should().HaveCount(count);
    }

    private void AssertNoGapNoDuplicate()
    {
        // What DropOutOfOrder keeps: the first frame of each u, in order.
        long last = 0;
        var delivered = new List<long>();
        foreach (string frame in _frames.Where(f => f.StartsWith("{\"u\":", StringComparison.Ordinal)))
        {
            long u = JsonDocument.Parse(frame).RootElement.GetProperty("u").GetInt64();
            if (u > last)
            {
                delivered.Add(u);
                last = u;
            }
        }

        delivered.Should().NotBeEmpty();
        delivered.Should().Equal(Enumerable.Range(0, delivered.Count).Select(i => delivered[0] + i), "no update may be lost across the switch");
    }

    private static int MaxInAnySecond(IEnumerable<DateTimeOffset> times)
    {
        DateTimeOffset[] t = [.. times.Order()];
        return t.Length == 0 ? 0 : t.Select((start, i) => t.Skip(i).Count(x => x - start < TimeSpan.FromSeconds(1))).Max();
    }

    private static string Method(string text) => JsonDocument.Parse(text).RootElement.GetProperty("method").GetString()!;

    private static string[] Params(string text) =>
        [.. JsonDocument.Parse(text).RootElement.GetProperty("params").EnumerateArray().Select(e => e.GetString()!)];

    private static long[] Ids(IEnumerable<(DateTimeOffset At, string Text)> sent) =>
        [.. sent.Select(s => JsonDocument.Parse(s.Text).RootElement.GetProperty("id").GetInt64())];

    private static FeedConnectionOptions Options(params string[] symbols) => new()
    {
        Endpoint = new Uri("ws://127.0.0.1:1/ws"),
        Symbols = symbols,
        StaleAfter = TimeSpan.FromSeconds(5),
        ReconnectInitial = TimeSpan.FromSeconds(1),
        ReconnectMax = TimeSpan.FromSeconds(8),
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
