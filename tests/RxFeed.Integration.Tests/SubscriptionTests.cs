using System.Reactive.Linq;
using RxFeed.Connection;
using RxFeed.Exchange;
using RxFeed.Health;
using RxFeed.Hosting;
using RxFeed.Orders;
using RxFeed.Quoting;

namespace RxFeed.Integration.Tests;

/// <summary>Subscriptions changed while running, over real loopback sockets against the local exchange and its faults.</summary>
public sealed class SubscriptionTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Subscribe_300SymbolsAtOnceUnderTheExchangesRateLimit_AllAckedNoClose()
    {
        // The exchange pings every second and closes at a 6th frame in one second; we also ping every second. Requests
        // alone would fit; with the pongs and pings outside the budget they would not.
        await using FeedHarness h = await FeedHarness.StartAsync(
            exchange: e =>
            {
                e.MaxIncomingPerSecond = 5;
                e.PingInterval = TimeSpan.FromSeconds(1);
            },
            connection: c =>
            {
                c.MaxStreamsPerRequest = 10;
                c.KeepAliveInterval = TimeSpan.FromSeconds(1);
                c.KeepAliveTimeout = TimeSpan.FromSeconds(20);
                c.StaleAfter = TimeSpan.FromSeconds(30);
            });
        await h.WaitForTicks(5, Bound, "first ticks");
        string[] symbols = [.. Enumerable.Range(0, 300).Select(i => $"S{i:D3}USDT")];

        IList<SubscriptionResult> results = await h.Connection.Subscribe(symbols).ToList().Timeout(TimeSpan.FromSeconds(90));
        await h.WaitForTicks(5, Bound, "ticks after the subscribes");

        results.Should().HaveCount(300).And.OnlyContain(r => r.Outcome == SubscriptionOutcome.Acked);
        results.Select(r => r.Symbol).Should().BeEquivalentTo(symbols);
        h.Exchange.Counters.RateLimitCloses.Should().Be(0, "never a 6th frame in any second");
        h.Exchange.Counters.PongsReceived.Should().BeGreaterThan(0, "the server's pings were answered");
        h.Connection.Counters.Disconnects.Should().Be(0);
        h.Connection.Counters.ConnectionsOpened.Should().Be(1);
        h.Connection.Counters.BudgetWaits.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Subscribe_FullShard_OpensASecondConnection()
    {
        await using FeedHarness h = await FeedHarness.StartAsync(
            connection: c =>
            {
                c.Symbols = ["ADAUSDT", "BTCUSDT"];
                c.MaxStreamsPerConnection = 2;
            },
            market: new MarketOptions { Symbols = { "ADAUSDT", "BTCUSDT", "ETHUSDT" }, Rate = 50 });
        await h.WaitForTicks(10, Bound, "first ticks");

        IList<SubscriptionResult> results = await h.Connection.Subscribe("ETHUSDT").ToList().Timeout(Bound);
        await FeedHarness.WaitUntil(() => h.Ticks().Any(t => t.Symbol == "ETHUSDT"), Bound, "ETHUSDT ticks");

        results.Should().Equal(new SubscriptionResult("ETHUSDT", SubscriptionOutcome.Acked));
        h.Exchange.Counters.ActiveConnections.Should().Be(2);
        h.Connection.Shards.Select(s => s.Count).Should().Equal(2, 1);
    }

    [Fact]
    public async Task Unsubscribe_QuotedSymbol_RemovedOrdersCancelledNoMoreTicks()
    {
        await using LocalExchange exchange = await LocalExchange.StartAsync(new ExchangeOptions
        {
            Market = new MarketOptions { Symbols = { "ADAUSDT", "BTCUSDT" }, Rate = 50 },
        });
        RxFeedClient client = RxFeedClient.Create(new RxFeedOptions
        {
            Endpoint = new Uri(exchange.BaseUrl + "/ws"),
            Symbols = ["ADAUSDT", "BTCUSDT"],
            StaleAfter = TimeSpan.FromSeconds(5),
        });
        using QuotingSession session = QuotingSession.Attach(client.BookTickers, new QuotingSessionOptions(), client.Links);
        var health = new List<HealthChange>();
        var orders = new List<OrderEvent>();
        var ticks = new List<BookTicker>();
        using IDisposable h = session.Health.Subscribe(c => { lock (health) { health.Add(c); } });
        using IDisposable o = session.Orders.Subscribe(e => { lock (orders) { orders.Add(e); } });
        using IDisposable t = client.BookTickers.Subscribe(x => { lock (ticks) { ticks.Add(x); } });
        using IDisposable run = session.Start();
        await FeedHarness.WaitUntil(() => Locked(orders, l => l.Any(e => e.Symbol == "ADAUSDT" && e.Action == OrderAction.Place)), Bound, "ADAUSDT quoted");

        IList<SubscriptionResult> results = await client.Unsubscribe("ADAUSDT").ToList().Timeout(Bound);
        await FeedHarness.WaitUntil(() => Locked(health, l => l.Any(c => c.Symbol == "ADAUSDT" && c.State == FeedState.Removed)), Bound, "Removed");
        await BtcGoesOn(); // whatever was on its way before the ack has been delivered by now
        int adaTicks = Locked(ticks, l => l.Count(x => x.Symbol == "ADAUSDT"));
        await BtcGoesOn();

        results.Should().Equal(new SubscriptionResult("ADAUSDT", SubscriptionOutcome.Acked));
        Locked(ticks, l => l.Count(x => x.Symbol == "ADAUSDT")).Should().Be(adaTicks, "no tick of it once it is Removed and acked");
        Locked(health, l => l.Last(c => c.Symbol == "ADAUSDT")).State.Should().Be(FeedState.Removed, "Removed is its last line");
        Locked(orders, l =>
        {
            string[] placed = [.. l.Where(e => e.Symbol == "ADAUSDT" && e.Action == OrderAction.Place).Select(e => e.ClientOrderId)];
            string[] closed = [.. l.Where(e => e.Symbol == "ADAUSDT" && e.Action is OrderAction.Cancel or OrderAction.Rejected).Select(e => e.ClientOrderId)];
            return placed.Except(closed).Count();
        }).Should().Be(0, "every ADAUSDT order was cancelled");

        async Task BtcGoesOn()
        {
            int btc = Locked(ticks, l => l.Count(x => x.Symbol == "BTCUSDT"));
            await FeedHarness.WaitUntil(() => Locked(ticks, l => l.Count(x => x.Symbol == "BTCUSDT")) >= btc + 20, Bound, "BTCUSDT goes on");
        }
    }

    [Fact]
    public async Task Forget_ServerDropsASubscription_RepairedWithinOneReconcileInterval()
    {
        await using FeedHarness h = await FeedHarness.StartAsync(
            connection: c =>
            {
                c.Symbols = ["ADAUSDT", "BTCUSDT"];
                c.ReconcileInterval = TimeSpan.FromSeconds(2);
                c.StaleAfter = TimeSpan.FromSeconds(30); // the shard never goes silent: ADAUSDT keeps flowing
            },
            market: new MarketOptions { Symbols = { "ADAUSDT", "BTCUSDT" }, Rate = 50 });
        await FeedHarness.WaitUntil(() => h.Ticks().Any(t => t.Symbol == "BTCUSDT"), Bound, "BTCUSDT ticks");

        h.Exchange.Faults.Forget("btcusdt@bookTicker").Should().Be(1);
        int before = h.Ticks().Count(t => t.Symbol == "BTCUSDT");
        await FeedHarness.WaitUntil(() => h.Connection.Counters.Reconciled >= 1, Bound, "the forgotten stream repaired");
        await FeedHarness.WaitUntil(() => h.Ticks().Count(t => t.Symbol == "BTCUSDT") > before + 10, Bound, "BTCUSDT ticks again");

        h.Exchange.Counters.StreamsForgotten.Should().Be(1);
        h.Connection.Counters.ConnectionsOpened.Should().Be(1, "repaired on the same connection");
    }

    [Fact]
    public async Task IgnoreRequests_UnansweredSubscribe_TimedOutReconnectedDataAgain()
    {
        await using FeedHarness h = await FeedHarness.StartAsync(
            connection: c => c.AckTimeout = TimeSpan.FromSeconds(1),
            market: new MarketOptions { Symbols = { "ADAUSDT", "BTCUSDT" }, Rate = 50 });
        await h.WaitForTicks(10, Bound, "first ticks");
        await FeedHarness.WaitUntil(() => h.Exchange.Counters.ControlRequests >= 2, Bound, "the first SUBSCRIBE and its LIST"); // else the LIST is the one ignored

        h.Exchange.Faults.IgnoreRequests(1);
        IList<SubscriptionResult> results = await h.Connection.Subscribe("BTCUSDT").ToList().Timeout(Bound);
        await FeedHarness.WaitUntil(() => h.Connection.Counters.Reconnects >= 1, Bound, "a reconnect");
        await FeedHarness.WaitUntil(() => h.Ticks().Any(t => t.Symbol == "BTCUSDT"), Bound, "BTCUSDT after the reconnect");

        results.Should().Equal(new SubscriptionResult("BTCUSDT", SubscriptionOutcome.TimedOut));
        h.Exchange.Counters.RequestsIgnored.Should().Be(1);
        h.Connection.Counters.AckTimeouts.Should().Be(1);
        h.Links().Select(l => l.State).Should().Contain(LinkState.Disconnected);
    }

    private static TResult Locked<T, TResult>(List<T> list, Func<List<T>, TResult> read)
    {
        lock (list)
        {
            return read(list);
        }
    }
}
