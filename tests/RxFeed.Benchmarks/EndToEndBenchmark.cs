using System.Diagnostics;
using System.Globalization;
using System.Reactive;
using System.Reactive.Linq;
using RxFeed.Connection;
using RxFeed.Diagnostics;
using RxFeed.Exchange;

namespace RxFeed.Benchmarks;

/// <summary>
/// Local exchange → real loopback WebSocket → FeedConnection → ToBookTickers → a subscriber, in one process.
/// Reports delivered book tickers per second and the receive-to-delivery latency: from the moment the socket hands a
/// frame to FeedConnection to the moment the subscriber sees the parsed, validated, ordered BookTicker (the pipeline is
/// synchronous, so the stamp of the frame being delivered is exact).
/// Run: <c>dotnet run -c Release --project tests/RxFeed.Benchmarks -- e2e [seconds]</c>.
/// </summary>
internal static class EndToEndBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        double seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var window = TimeSpan.FromSeconds(seconds);
        Console.WriteLine($"end to end over loopback, {seconds:0}s windows after a 2s warm-up, {Environment.ProcessorCount} cores");
        Console.WriteLine("offered/s   server sent/s   delivered/s   p50 µs   p99 µs   p99.9 µs   max µs   reconnects");
        string? capture = FindCapture();
        foreach (double rate in new[] { 1_000d, 10_000d, 2_000_000d, -1 })
        {
            if (rate < 0 && capture is null)
            {
                continue;
            }

            Result r = await MeasureAsync(rate, window, rate < 0 ? capture : null);
            string offered = rate < 0 ? "replay" : rate >= 1_000_000 ? "max" : rate.ToString("N0", CultureInfo.InvariantCulture);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{offered,9} {r.SentPerSecond,15:N0} {r.PerSecond,13:N0} {r.P50,8:F1} {r.P99,8:F1} {r.P999,10:F1} {r.Max,8:F1} {r.Reconnects,12}"));
        }

        return 0;
    }

    /// <summary>Measures at a synthetic rate, or (with <paramref name="replay"/>) the capture's pre-encoded frames at max pace.</summary>
    private static async Task<Result> MeasureAsync(double rate, TimeSpan window, string? replay)
    {
        var market = replay is null
            ? new MarketOptions { Rate = rate, Seed = 1 }
            : new MarketOptions { ReplayFiles = { replay }, Pace = ReplayPace.Max, Loop = true };
        var exchangeOptions = new ExchangeOptions { SendQueueCapacity = 1 << 22, SendQueueMaxBytes = 1L << 32, Market = market };
        await using LocalExchange exchange = await LocalExchange.StartAsync(exchangeOptions);
        var options = new FeedConnectionOptions
        {
            Endpoint = new Uri(exchange.BaseUrl + "/ws"),
            Symbols = [replay is null ? "ADAUSDT" : "ETHUSDT"],
        };
        var sockets = new StampingSocketFactory(new WebsocketFeedSocketFactory(options));
        var connection = new FeedConnection(options, sockets);
        var counters = new FeedCounters();
        var latencies = new long[rate >= 1_000_000 || rate < 0 ? 8_000_000 : (int)(rate * (window.TotalSeconds + 5))];
        int count = 0;
        long delivered = 0;
        bool measuring = false;
        using IDisposable subscription = connection.Frames.ToBookTickers(counters, options.MaxFrameBytes).Subscribe(_ =>
        {
            long now = Stopwatch.GetTimestamp();
            if (Volatile.Read(ref measuring))
            {
                delivered++;
                if (count < latencies.Length)
                {
                    latencies[count++] = now - sockets.LastReceive;
                }
            }
        });

        await Task.Delay(TimeSpan.FromSeconds(2));
        long sentBefore = exchange.Counters.FramesSent;
        Volatile.Write(ref measuring, true);
        var clock = Stopwatch.StartNew();
        await Task.Delay(window);
        Volatile.Write(ref measuring, false);
        double elapsed = clock.Elapsed.TotalSeconds;
        double sent = (exchange.Counters.FramesSent - sentBefore) / elapsed;

        long[] sorted = latencies[..count];
        Array.Sort(sorted);
        double Us(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))] * 1e6 / Stopwatch.Frequency;
        return new Result(sent, delivered / elapsed, Us(0.50), Us(0.99), Us(0.999), Us(1.0), connection.Counters.Reconnects);
    }

    private static string? FindCapture()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            string path = Path.Combine(dir, "tests", "data", "binance-spot-ethusdt-20240808.txt.gz");
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    private sealed record Result(double SentPerSecond, double PerSecond, double P50, double P99, double P999, double Max, long Reconnects);

    /// <summary>Stamps the receive time of the frame being handed to the connection.</summary>
    private sealed class StampingSocketFactory(IFeedSocketFactory inner) : IFeedSocketFactory
    {
        private long _lastReceive;

        public long LastReceive => Volatile.Read(ref _lastReceive);

        public IFeedSocket Create(Uri endpoint) => new Stamping(inner.Create(endpoint), this);

        public IFeedSocket Create(Uri endpoint, OutboundLimiter limiter) => new Stamping(inner.Create(endpoint, limiter), this);

        private sealed class Stamping(IFeedSocket socket, StampingSocketFactory owner) : IFeedSocket
        {
            public IObservable<string> Messages { get; } = socket.Messages.Select(m =>
            {
                Volatile.Write(ref owner._lastReceive, Stopwatch.GetTimestamp());
                return m;
            });

            public IObservable<SocketDisconnect> Disconnected => socket.Disconnected;

            public IObservable<Unit> Connect() => socket.Connect();

            public Task SendAsync(string text) => socket.SendAsync(text);

            public void Close(int code, string reason) => socket.Close(code, reason);

            public void Dispose() => socket.Dispose();
        }
    }
}
