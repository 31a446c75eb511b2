using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using RxFeed.Connection;
using RxFeed.Diagnostics;
using RxFeed.Exchange;
using RxFeed.Health;
using RxFeed.Quoting;

namespace RxFeed.Integration.Tests;

/// <summary>
/// Several local exchanges serving one synthetic market (same seed, same start), a <see cref="RedundantFeed"/> over them
/// through the pipeline, health and the quote engine on the merged ticks, and a plain reference connection to the first
/// exchange: what an endpoint that is never faulted delivers, for "no tick lost".
/// </summary>
internal sealed class HedgeHarness : IAsyncDisposable
{
    public const double Rate = 20;
    private readonly object _gate = new();
    private readonly List<BookTicker> _ticks = [];
    private readonly List<long> _reference = [];
    private readonly List<HealthChange> _health = [];
    private readonly List<QuoteUpdate> _quotes = [];
    private readonly CompositeDisposable _subscriptions = [];
    private readonly EventLoopScheduler _pipeline = PipelineThread.Create();

    private HedgeHarness(LocalExchange[] exchanges, RedundantFeed feed, FeedConnection reference)
    {
        Exchanges = exchanges;
        Feed = feed;
        Reference = reference;
    }

    public LocalExchange[] Exchanges { get; }

    public RedundantFeed Feed { get; }

    public FeedConnection Reference { get; }

    public FeedCounters Counters { get; } = new();

    public static TimeSpan HealthStaleAfter { get; } = TimeSpan.FromSeconds(5);

    /// <param name="referenceOn">The exchange the reference connection reads: one no test faults.</param>
    public static async Task<HedgeHarness> StartAsync(int exchanges, EndpointMode mode, int referenceOn = 0, TimeSpan? failbackAfter = null)
    {
        // The market's time zero a moment ahead: every exchange starts its clock from the same instant, none has ticks to catch up on.
        DateTimeOffset start = DateTimeOffset.UtcNow.AddSeconds(1);
        var servers = new LocalExchange[exchanges];
        for (int i = 0; i < exchanges; i++)
        {
            servers[i] = await LocalExchange.StartAsync(new ExchangeOptions
            {
                ShutdownGrace = TimeSpan.Zero,
                Market = new MarketOptions { Symbols = ["ADAUSDT"], Rate = Rate, Seed = 7, StartAt = start },
            });
        }

        FeedConnectionOptions[] options = [.. servers.Select(s => Options(new Uri(s.BaseUrl + "/ws")))];
        var feed = new RedundantFeed(options, mode, failbackAfter, scheduler: DefaultScheduler.Instance);
        var reference = new FeedConnection(Options(options[referenceOn].Endpoint), scheduler: DefaultScheduler.Instance);
        var harness = new HedgeHarness(servers, feed, reference);
        harness.Start();
        return harness;
    }

    public BookTicker[] Ticks()
    {
        lock (_gate)
        {
            return [.. _ticks];
        }
    }

    public long[] ReferenceIds()
    {
        lock (_gate)
        {
            return [.. _reference];
        }
    }

    public HealthChange[] Health()
    {
        lock (_gate)
        {
            return [.. _health];
        }
    }

    public QuoteUpdate[] Quotes()
    {
        lock (_gate)
        {
            return [.. _quotes];
        }
    }

    public int TickCount()
    {
        lock (_gate)
        {
            return _ticks.Count;
        }
    }

    public Task WaitForTicks(int more, TimeSpan timeout, string what)
    {
        int target = TickCount() + more;
        return FeedHarness.WaitUntil(() => TickCount() >= target, timeout, what);
    }

    /// <summary>
    /// The reference's ticks inside the window both saw that the merged feed did not deliver: with every endpoint serving
    /// the same market, a tick missing here is lost.
    /// </summary>
    public long[] Lost()
    {
        long[] merged = [.. Ticks().Select(t => t.UpdateId)];
        long[] reference = ReferenceIds();
        long from = Math.Max(merged[0], reference[0]), to = Math.Min(merged[^1], reference[^1]);
        var delivered = merged.ToHashSet();
        return [.. reference.Where(u => u >= from && u <= to && !delivered.Contains(u))];
    }

    public async ValueTask DisposeAsync()
    {
        _subscriptions.Dispose();
        Feed.Dispose();
        foreach (LocalExchange exchange in Exchanges)
        {
            await exchange.DisposeAsync();
        }

        _pipeline.Dispose();
    }

    private static FeedConnectionOptions Options(Uri endpoint) => new()
    {
        Endpoint = endpoint,
        Symbols = ["ADAUSDT"],
        StaleAfter = TimeSpan.FromSeconds(2),
        ReconnectInitial = TimeSpan.FromMilliseconds(100),
        ReconnectMax = TimeSpan.FromSeconds(1),
        KeepAliveInterval = TimeSpan.FromSeconds(5),
        KeepAliveTimeout = TimeSpan.FromSeconds(5),
    };

    private void Start()
    {
        // Link events come from socket and timer threads: taken on the pipeline thread with the ticks, as the client does.
        IObservable<LinkEvent> links = Feed.Links.ObserveOn(_pipeline);
        IConnectableObservable<BookTicker> ticks = Feed.BookTickers(_pipeline, Counters).Publish();
        _subscriptions.Add(ticks.Subscribe(t => Add(_ticks, t)));
        _subscriptions.Add(ticks.TrackHealth(HealthStaleAfter, links, DefaultScheduler.Instance).Subscribe(h => Add(_health, h)));
        _subscriptions.Add(ticks.Quote(new QuoteOptions(), HealthStaleAfter, links, DefaultScheduler.Instance).Subscribe(q => Add(_quotes, q)));
        _subscriptions.Add(Reference.ReceivedFrames(_pipeline).ToBookTickers(new FeedCounters()).Subscribe(t => Add(_reference, t.UpdateId)));
        _subscriptions.Add(ticks.Connect());
    }

    private void Add<T>(List<T> list, T item)
    {
        lock (_gate)
        {
            list.Add(item);
        }
    }
}
