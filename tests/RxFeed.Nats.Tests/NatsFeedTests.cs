using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Reactive.Threading.Tasks;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;
using Xunit.Abstractions;
using RxFeed.Health;

namespace RxFeed.Nats.Tests;

[Collection(NatsCollection.Name)]
public sealed class NatsFeedTests(NatsServerFixture server, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static int _prefixes;

    [NatsFact]
    public async Task PublishThenConsume_DeliversEveryTickExactly_DecimalsWithTheirScale()
    {
        NatsFeedOptions options = Options();
        var ticks = new Subject<BookTicker>();
        await using NatsPublisher publisher = await NatsPublisher.StartAsync(options, ticks, Observable.Never<HealthChange>());
        await using NatsFeed feed = NatsFeed.Create(options);
        var received = new List<BookTicker>();
        using IDisposable sub = feed.BookTickers.Where(t => t.Symbol != "WARMUP").Subscribe(t => { lock (received) { received.Add(t); } });
        await WarmUp(feed, ticks);

        List<BookTicker> sent = Generate(["ADAUSDT", "ETHUSDT", "BTCUSDT"], 1000);
        sent.ForEach(ticks.OnNext);
        await Until(() => Count(received) >= sent.Count);

        lock (received)
        {
            received.Should().Equal(sent);

            // decimal equality ignores scale; the text does not: "0.10000000" must come back as "0.10000000".
            received.Select(Text).Should().Equal(sent.Select(Text));
        }

        feed.Counters.Snapshot().Malformed.Should().Be(0);
    }

    [NatsFact]
    public async Task Burst_50kTicks_AllDeliveredInOrder_NothingDropped()
    {
        NatsFeedOptions options = Options();
        var ticks = new Subject<BookTicker>();
        await using NatsPublisher publisher = await NatsPublisher.StartAsync(options, ticks, Observable.Never<HealthChange>());
        await using NatsFeed feed = NatsFeed.Create(options);
        long received = 0, lastU = 0, disorder = 0;
        using IDisposable sub = feed.BookTickers.Where(t => t.Symbol == "ADAUSDT").Subscribe(t =>
        {
            disorder += t.UpdateId <= lastU ? 1 : 0;
            lastU = t.UpdateId;
            Interlocked.Increment(ref received);
        });
        await WarmUp(feed, ticks);

        const int N = 50_000;
        long before = publisher.Published; // read before the burst: its first ticks are sent while the rest are enqueued
        var clock = Stopwatch.StartNew();
        for (int i = 1; i <= N; i++)
        {
            ticks.OnNext(Tick("ADAUSDT", i, i % 100));
        }

        TimeSpan enqueued = clock.Elapsed;
        await Until(() => publisher.Published - before >= N || publisher.Dropped > 0);
        TimeSpan sent = clock.Elapsed;
        await Until(() => Interlocked.Read(ref received) >= N || publisher.Dropped + feed.ClientDrops > 0);
        TimeSpan delivered = clock.Elapsed;
        output.WriteLine($"{N} ticks: enqueued in {enqueued.TotalMilliseconds:F1} ms ({enqueued.TotalNanoseconds / N:F0} ns/tick on the caller), " +
            $"sent to NATS in {sent.TotalMilliseconds:F0} ms, delivered to the consumer in {delivered.TotalMilliseconds:F0} ms ({N / delivered.TotalSeconds:F0} ticks/s end to end)");

        publisher.Dropped.Should().Be(0);
        feed.ClientDrops.Should().Be(0);
        Interlocked.Read(ref received).Should().Be(N);
        disorder.Should().Be(0);
    }

    [NatsFact]
    public async Task LateJoiner_GetsTheLastTickOfEverySymbolAtOnce()
    {
        NatsFeedOptions options = Options();
        var ticks = new Subject<BookTicker>();
        List<BookTicker> sent = Generate(["ADAUSDT", "ETHUSDT"], 100);
        await using (NatsPublisher publisher = await NatsPublisher.StartAsync(options, ticks, Observable.Never<HealthChange>()))
        {
            sent.ForEach(ticks.OnNext);
        }

        await using NatsFeed feed = NatsFeed.Create(options);
        IList<BookTicker> first = await feed.BookTickers.Take(2).ToList().Timeout(Patience);

        first.OrderBy(t => t.Symbol, StringComparer.Ordinal).Should().Equal(
            sent.Last(t => t.Symbol == "ADAUSDT"), sent.Last(t => t.Symbol == "ETHUSDT"));
    }

    [NatsFact]
    public async Task LastValues_StoredAtMostEveryIntervalPerSymbol_TheNewestAlwaysReachesTheStream()
    {
        NatsFeedOptions options = Options();
        options.LastValueInterval = TimeSpan.FromMilliseconds(100);
        var ticks = new Subject<BookTicker>();
        await using NatsPublisher publisher = await NatsPublisher.StartAsync(options, ticks, Observable.Never<HealthChange>());
        List<BookTicker> sent = Generate(["ADAUSDT", "ETHUSDT"], 10_000);
        sent.ForEach(ticks.OnNext);

        // The publisher stays up: the newest tick of each symbol is stored by the interval's trailing edge, not on close.
        await using NatsFeed late = NatsFeed.Create(options);
        await Until(async () =>
        {
            // A probe that joins before the second symbol's first store sees one snapshot tick and, the burst being
            // over, nothing more: it gives up after a while and the next probe looks again.
            await using NatsFeed probe = NatsFeed.Create(options);
            try
            {
                IList<BookTicker> snapshot = await probe.BookTickers.Take(2).ToList().Timeout(TimeSpan.FromSeconds(2));
                return snapshot.All(t => t.UpdateId == sent[^1].UpdateId);
            }
            catch (TimeoutException)
            {
                return false;
            }
        });
        IList<BookTicker> first = await late.BookTickers.Take(2).ToList().Timeout(Patience);
        first.OrderBy(t => t.Symbol, StringComparer.Ordinal).Should().Equal(sent.Last(t => t.Symbol == "ADAUSDT"), sent.Last(t => t.Symbol == "ETHUSDT"));

        await using var nats = new NatsConnection(new NatsOpts { Url = server.Url.ToString() });
        var js = new NATS.Client.JetStream.NatsJSContext(nats);
        var stream = await js.GetStreamAsync(options.StreamName);
        stream.Info.State.LastSeq.Should().BeLessThan((ulong)sent.Count / 10, "{0} ticks were sent live, only a sample of them stored", sent.Count);
    }

    [NatsFact]
    public async Task PublisherStops_SymbolGoesStaleOnTheConsumersClock_WithinStaleAfter()
    {
        NatsFeedOptions options = Options();
        options.StaleAfter = TimeSpan.FromMilliseconds(500);
        var ticks = new Subject<BookTicker>();
        NatsPublisher publisher = await NatsPublisher.StartAsync(options, ticks, Observable.Never<HealthChange>());
        await using NatsFeed feed = NatsFeed.Create(options);
        var states = new List<(FeedState State, TimeSpan At)>();
        var clock = Stopwatch.StartNew();
        using IDisposable sub = feed.Health.Where(h => h.Symbol == "ADAUSDT").Subscribe(h => { lock (states) { states.Add((h.State, clock.Elapsed)); } });
        await WarmUp(feed, ticks);

        long u = 1;
        TimeSpan lastReceived = default;
        using IDisposable received = feed.BookTickers.Where(t => t.Symbol == "ADAUSDT").Subscribe(_ => { lock (states) { lastReceived = clock.Elapsed; } });
        var live = feed.BookTickers.Where(t => t.Symbol == "ADAUSDT").Take(1).Timeout(Patience).ToTask();
        ticks.OnNext(Tick("ADAUSDT", u++, 1));
        await live;
        for (int i = 0; i < 10; i++)
        {
            ticks.OnNext(Tick("ADAUSDT", u++, 1));
            await Task.Delay(50);
        }

        await publisher.DisposeAsync();
        TimeSpan stopped = clock.Elapsed;
        await Until(() => { lock (states) { return states.Count > 0 && states[^1].State == FeedState.Stale && states[^1].At > lastReceived; } });

        lock (states)
        {
            // Staleness runs on the consumer's clock from the last tick it received: never earlier than StaleAfter after it
            // (a timer does not fire early), and within the bound after the publisher stopped. A Stale while the ticks
            // still flowed is no fault: on a loaded machine two of them can arrive more than StaleAfter apart.
            states[0].State.Should().Be(FeedState.Live);
            TimeSpan staleAt = states[^1].At;
            (staleAt - lastReceived).Should().BeGreaterThanOrEqualTo(options.StaleAfter - TimeSpan.FromMilliseconds(20), "Stale comes StaleAfter after the last tick received");
            (staleAt - stopped).Should().BeLessThan(options.StaleAfter + TimeSpan.FromSeconds(1), "every consumer is Stale within stale_after + 1 s of the publisher stopping");
        }
    }

    [NatsFact]
    public async Task TwoPublishers_OneKilledHalfway_NoTickLost_CopiesCountedAndDropped()
    {
        NatsFeedOptions a = Options(), b = Options();
        b.Prefix = a.Prefix;
        a.PublisherId = "a";
        b.PublisherId = "b";
        var ticksA = new Subject<BookTicker>();
        var ticksB = new Subject<BookTicker>();
        NatsPublisher publisherA = await NatsPublisher.StartAsync(a, ticksA, Observable.Never<HealthChange>());
        await using NatsPublisher publisherB = await NatsPublisher.StartAsync(b, ticksB, Observable.Never<HealthChange>());
        await using NatsFeed feed = NatsFeed.Create(a);
        var received = new List<BookTicker>();
        using IDisposable sub = feed.BookTickers.Where(t => t.Symbol != "WARMUP").Subscribe(t => { lock (received) { received.Add(t); } });
        await WarmUp(feed, ticksA);
        await WarmUp(feed, ticksB);
        long warmupOutOfOrder = feed.Counters.Snapshot().OutOfOrder;

        List<BookTicker> sent = Generate(["ADAUSDT", "ETHUSDT"], 2000);
        int copies = 0;
        for (int i = 0; i < sent.Count; i++)
        {
            if (i < sent.Count / 2)
            {
                ticksA.OnNext(sent[i]);
                copies++;
            }
            else if (i == sent.Count / 2)
            {
                await publisherA.DisposeAsync();
            }

            ticksB.OnNext(sent[i]);
            copies++;
        }

        await Until(() => Count(received) >= sent.Count && feed.Counters.Snapshot().OutOfOrder - warmupOutOfOrder >= copies - sent.Count);
        await Task.Delay(200); // a late extra copy would show up here

        lock (received)
        {
            received.Should().Equal(sent, "each u is delivered once, in order, whichever publisher's copy came first");
        }

        (feed.Counters.Snapshot().OutOfOrder - warmupOutOfOrder).Should().Be(copies - sent.Count, "every second copy is counted and dropped");
        feed.Duplicates.Should().BeGreaterThan(0);
    }

    [NatsFact]
    public async Task NatsServerRestarts_SymbolsRecovering_ThenLiveAgainWithoutHelp()
    {
        using var own = new NatsServerFixture();
        var options = new NatsFeedOptions { Url = own.Url, Prefix = "restart" };
        var ticks = new Subject<BookTicker>();
        await using NatsPublisher publisher = await NatsPublisher.StartAsync(options, ticks, Observable.Never<HealthChange>());
        await using NatsFeed feed = NatsFeed.Create(options);
        var states = new List<FeedState>();
        using IDisposable sub = feed.Health.Where(h => h.Symbol == "ADAUSDT").Subscribe(h => { lock (states) { states.Add(h.State); } });
        await WarmUp(feed, ticks);
        long u = 1;
        await Until(() =>
        {
            ticks.OnNext(Tick("ADAUSDT", u++, 1));
            lock (states)
            {
                return states.Contains(FeedState.Live);
            }
        });

        own.Restart(TimeSpan.FromMilliseconds(300));
        await Until(() => { lock (states) { return states.Contains(FeedState.Recovering); } });

        // Both clients reconnect by themselves; fresh ticks make the symbol Live again.
        await Until(() =>
        {
            ticks.OnNext(Tick("ADAUSDT", u++, 1));
            lock (states)
            {
                return states[^1] == FeedState.Live && states.Contains(FeedState.Recovering);
            }
        });
        lock (states)
        {
            states.Should().Equal(FeedState.Live, FeedState.Recovering, FeedState.Live);
        }
    }

    [NatsFact]
    public async Task ForeignMessages_AreCountedAndDropped_NeverDelivered()
    {
        NatsFeedOptions options = Options();
        await using NatsFeed feed = NatsFeed.Create(options);
        var received = new List<BookTicker>();
        using IDisposable sub = feed.BookTickers.Subscribe(t => { lock (received) { received.Add(t); } });
        await using var raw = new NatsConnection(new NatsOpts { Url = server.Url.ToString() });
        string subject = options.Prefix + ".bookTicker.ADAUSDT";
        const string Good = """{"ts":1,"s":"ADAUSDT","u":10,"b":"0.25","B":"100","a":"0.26","A":"5"}""";

        // The feed's consumer may not be up yet: repeat the first good message until it arrives.
        await Until(async () =>
        {
            await raw.PublishAsync(subject, Encoding.UTF8.GetBytes(Good));
            return Count(received) > 0;
        });

        string[] bad =
        [
            "not json",
            "[1,2]",
            """{"ts":1,"s":"ADAUSDT","u":"11","b":"0.25","B":"100","a":"0.26","A":"5"}""",
            """{"ts":1,"s":"ADAUSDT","u":11,"b":0.25,"B":"100","a":"0.26","A":"5"}""",
            """{"ts":1,"s":"ADAUSDT","u":11,"b":"0.25","B":"100","a":"0.26"}""",
            """{"ts":1,"s":"ETHUSDT","u":11,"b":"0.25","B":"100","a":"0.26","A":"5"}""",
            """{"ts":1,"s":"ADAUSDT","u":11,"b":"-1","B":"100","a":"0.26","A":"5"}""",
            """{"ts":1,"s":"ADAUSDT","u":9,"b":"0.25","B":"100","a":"0.26","A":"5"}""",
        ];
        foreach (string m in bad)
        {
            await raw.PublishAsync(subject, Encoding.UTF8.GetBytes(m));
        }

        await raw.PublishAsync(subject, Encoding.UTF8.GetBytes(Good.Replace("\"u\":10", "\"u\":12", StringComparison.Ordinal)));
        await Until(() => received.Any(t => t.UpdateId == 12));

        RxFeed.Diagnostics.FeedCountsSnapshot counts = feed.Counters.Snapshot();
        received.Select(t => t.UpdateId).Should().Equal(10, 12);
        counts.Malformed.Should().Be(5, "not JSON, not an object, u as a string, b as a number, A missing");
        counts.Invalid.Should().Be(2, "the body's symbol is not the subject's, a negative price");
        counts.OutOfOrder.Should().BeGreaterThanOrEqualTo(1, "u=9 after 10 (and any repeat of the first message)");
    }

    [Fact]
    public async Task AddRxFeedNats_BindsRxFeedNatsAndTheSharedKeys()
    {
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RxFeed:StaleAfter"] = "750ms",
            ["RxFeed:Symbols"] = "adausdt,ethusdt",
            ["RxFeed:Nats:Url"] = "nats://10.0.0.7:4333",
            ["RxFeed:Nats:Prefix"] = "desk1",
            ["RxFeed:Nats:Token"] = "s3cret",
            ["RxFeed:Nats:LastValueInterval"] = "250ms",
            ["RxFeed:Nats:HeartbeatInterval"] = "2s",
        }).Build();
        await using ServiceProvider sp = new ServiceCollection().AddRxFeedNats(config).BuildServiceProvider();

        NatsFeed feed = sp.GetRequiredService<NatsFeed>();
        feed.Options.Url.Should().Be(new Uri("nats://10.0.0.7:4333"));
        feed.Options.Prefix.Should().Be("desk1");
        feed.Options.Token.Should().Be("s3cret");
        feed.Options.StaleAfter.Should().Be(TimeSpan.FromMilliseconds(750));
        feed.Options.Symbols.Should().Equal("ADAUSDT", "ETHUSDT");
        feed.Options.LastValueInterval.Should().Be(TimeSpan.FromMilliseconds(250));
        feed.Options.HeartbeatInterval.Should().Be(TimeSpan.FromSeconds(2));
        await feed.DisposeAsync();
    }

    [Fact]
    public void WireFormat_RoundTripsATickExactly()
    {
        var tick = new BookTicker("ETHUSDT", 42, 2500.10m, 0.0010m, 2500.20m, 3.50000000m, 1_723_075_200_123_456_789);
        var buffer = new ArrayBufferWriter<byte>();
        NatsWire.WriteTick(buffer, tick, "p1");

        Encoding.UTF8.GetString(buffer.WrittenSpan).Should().Be(
            """{"ts":1723075200123456789,"s":"ETHUSDT","u":42,"b":"2500.10","B":"0.0010","a":"2500.20","A":"3.50000000","inverted":false,"p":"p1"}""");
        RxFeed.Parsing.FeedFrame back = NatsWire.ReadTick(buffer.WrittenSpan, "ETHUSDT");
        back.Ticker.Should().Be(tick);
        Text(back.Ticker).Should().Be(Text(tick));
    }

    private static BookTicker Tick(string symbol, long u, int i) =>
        new(symbol, u, 0.25m + (i * 0.00010000m), 100.00m + i, 0.26m + (i * 0.00010000m), 5.000m, 1_700_000_000_000_000_000 + u);

    private static List<BookTicker> Generate(string[] symbols, int perSymbol)
    {
        var list = new List<BookTicker>();
        for (int i = 1; i <= perSymbol; i++)
        {
            foreach (string s in symbols)
            {
                list.Add(Tick(s, 1000 + i, i));
            }
        }

        return list;
    }

    private static string Text(BookTicker t) =>
        string.Create(CultureInfo.InvariantCulture, $"{t.Symbol} {t.UpdateId} {t.BidPrice} {t.BidQty} {t.AskPrice} {t.AskQty} {t.ReceivedNs} {t.IsInverted}");

    private static int Count(List<BookTicker> list)
    {
        lock (list)
        {
            return list.Count;
        }
    }

    /// <summary>Publishes WARMUP ticks until the feed delivers one: from then on, nothing published is missed.</summary>
    private static async Task WarmUp(NatsFeed feed, Subject<BookTicker> ticks)
    {
        long seen = 0;
        using IDisposable sub = feed.BookTickers.Where(t => t.Symbol == "WARMUP").Subscribe(_ => Interlocked.Increment(ref seen));
        long u = Stopwatch.GetTimestamp();
        await Until(() =>
        {
            ticks.OnNext(Tick("WARMUP", u++, 1));
            return Interlocked.Read(ref seen) > 0;
        });
    }

    private static Task Until(Func<bool> condition) => Until(() => Task.FromResult(condition()));

    private static async Task Until(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > Patience)
            {
                throw new TimeoutException("condition not met in time");
            }

            await Task.Delay(20);
        }
    }

    private NatsFeedOptions Options() => new()
    {
        Url = server.Url,
        Prefix = "t" + Interlocked.Increment(ref _prefixes).ToString(CultureInfo.InvariantCulture),
    };
}
