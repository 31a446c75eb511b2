using System.Diagnostics;
using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using RxFeed.Connection;
using RxFeed.Diagnostics;
using RxFeed.Exchange;

namespace RxFeed.Integration.Tests;

/// <summary>A LocalExchange on a free loopback port and a FeedConnection through the pipeline, with everything recorded.</summary>
internal sealed class FeedHarness : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly List<BookTicker> _ticks = [];
    private readonly List<LinkEvent> _links = [];
    private IDisposable? _subscription;

    private FeedHarness(LocalExchange exchange, FeedConnectionOptions options, RecordingSocketFactory sockets)
    {
        Exchange = exchange;
        Options = options;
        Sockets = sockets;
        Connection = new FeedConnection(options, sockets, scheduler: DefaultScheduler.Instance);
    }

    public LocalExchange Exchange { get; }

    public FeedConnectionOptions Options { get; }

    public RecordingSocketFactory Sockets { get; }

    public FeedConnection Connection { get; }

    public FeedCounters Counters { get; } = new();

    public Exception? Error { get; private set; }

    public static async Task<FeedHarness> StartAsync(
        Action<ExchangeOptions>? exchange = null, Action<FeedConnectionOptions>? connection = null, MarketOptions? market = null)
    {
        var exchangeOptions = new ExchangeOptions { Market = market ?? new MarketOptions { Symbols = { }, Rate = 50 } };
        if (market is null)
        {
            exchangeOptions.Market.Symbols.Clear();
            exchangeOptions.Market.Symbols.Add("ADAUSDT");
        }

        exchange?.Invoke(exchangeOptions);
        LocalExchange server = await LocalExchange.StartAsync(exchangeOptions);
        var options = new FeedConnectionOptions
        {
            Endpoint = new Uri(server.BaseUrl + "/ws"),
            Symbols = ["ADAUSDT"],
            StaleAfter = TimeSpan.FromSeconds(2),
            ReconnectInitial = TimeSpan.FromMilliseconds(100),
            ReconnectMax = TimeSpan.FromSeconds(1),
            KeepAliveInterval = TimeSpan.FromSeconds(5),
            KeepAliveTimeout = TimeSpan.FromSeconds(5),
        };
        connection?.Invoke(options);
        var harness = new FeedHarness(server, options, new RecordingSocketFactory(new WebsocketFeedSocketFactory(options)));
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

    public LinkEvent[] Links()
    {
        lock (_gate)
        {
            return [.. _links];
        }
    }

    public int TickCount()
    {
        lock (_gate)
        {
            return _ticks.Count;
        }
    }

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds; fails the test naming what did not happen.</summary>
    public static async Task WaitUntil(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"within {timeout}: {what}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits until at least <paramref name="more"/> ticks arrive after now.</summary>
    public Task WaitForTicks(int more, TimeSpan timeout, string what)
    {
        int target = TickCount() + more;
        return WaitUntil(() => TickCount() >= target, timeout, what);
    }

    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        await Exchange.DisposeAsync();
    }

    private void Start()
    {
        Connection.Links.Subscribe(l =>
        {
            lock (_gate)
            {
                _links.Add(l);
            }
        });
        _subscription = Connection.Frames
            .ToBookTickers(Counters, Options.MaxFrameBytes, DefaultScheduler.Instance)
            .Subscribe(
                t =>
                {
                    lock (_gate)
                    {
                        _ticks.Add(t);
                    }
                },
                e => Error = e);
    }
}

/// <summary>Records every frame each socket sends, with a monotonic timestamp, to check the outbound budget.</summary>
internal sealed class RecordingSocketFactory(IFeedSocketFactory inner) : IFeedSocketFactory
{
    private readonly List<List<long>> _sends = [];

    public long[][] SendTimes()
    {
        lock (_sends)
        {
            return [.. _sends.Select(s => s.ToArray())];
        }
    }

    public IFeedSocket Create(Uri endpoint) => Create(endpoint, null);

    // The limiter goes through, so the real socket's pings and pongs share the connection's budget.
    public IFeedSocket Create(Uri endpoint, OutboundLimiter? limiter)
    {
        var times = new List<long>();
        lock (_sends)
        {
            _sends.Add(times);
        }

        return new Recording(limiter is null ? inner.Create(endpoint) : inner.Create(endpoint, limiter), times);
    }

    private sealed class Recording(IFeedSocket socket, List<long> times) : IFeedSocket
    {
        public IObservable<string> Messages => socket.Messages;

        public IObservable<SocketDisconnect> Disconnected => socket.Disconnected;

        public IObservable<Unit> Connect() => socket.Connect();

        public Task SendAsync(string text)
        {
            lock (times)
            {
                times.Add(Stopwatch.GetTimestamp());
            }

            return socket.SendAsync(text);
        }

        public void Close(int code, string reason) => socket.Close(code, reason);

        public void Dispose() => socket.Dispose();
    }
}
