using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using BenchmarkDotNet.Attributes;
using RxFeed.Connection;

namespace RxFeed.Benchmarks;

/// <summary>
/// A socket's receive path through <see cref="FeedConnection"/> (session, shard runner, watchdog, backoff, merge), per
/// 1000 book-ticker frames of 3 symbols: reconciliation off (the baseline) beside on, where the receive loop also notes
/// each frame's symbol so a stream that went silent can be told. The socket is in memory and answers requests at once;
/// the clock never moves, so no timer interferes.
/// </summary>
[MemoryDiagnoser]
public class ConnectionReceiveBenchmarks
{
    private const int FramesPerInvoke = 1000;
    private readonly string[] _frames = new string[FramesPerInvoke];
    private InstantSocket _off = null!;
    private InstantSocket _on = null!;
    private System.Reactive.Disposables.CompositeDisposable _subscriptions = null!;
    private long _sink;

    [GlobalSetup]
    public void Setup()
    {
        string[] symbols = ["ETHUSDT", "BTCUSDT", "ADAUSDT"];
        for (int i = 0; i < FramesPerInvoke; i++)
        {
            _frames[i] = $"{{\"u\":{400900217 + i},\"s\":\"{symbols[i % 3]}\",\"b\":\"2683.80000000\",\"B\":\"3.02920000\",\"a\":\"2683.81000000\",\"A\":\"31.43950000\"}}";
        }

        (_off, IDisposable off) = Start(TimeSpan.Zero, symbols);
        (_on, IDisposable on) = Start(TimeSpan.FromMinutes(5), symbols);
        _subscriptions = new System.Reactive.Disposables.CompositeDisposable(off, on);
    }

    [GlobalCleanup]
    public void Cleanup() => _subscriptions.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = FramesPerInvoke)]
    public long ReconcileOff() => Push(_off);

    [Benchmark(OperationsPerInvoke = FramesPerInvoke)]
    public long ReconcileOnNotesSymbols() => Push(_on);

    private long Push(InstantSocket socket)
    {
        foreach (string frame in _frames)
        {
            socket.Receive(frame);
        }

        return _sink;
    }

    private (InstantSocket Socket, IDisposable Subscription) Start(TimeSpan reconcile, string[] symbols)
    {
        var socket = new InstantSocket();
        var connection = new FeedConnection(
            new FeedConnectionOptions { Endpoint = new Uri("ws://127.0.0.1:1/ws"), Symbols = symbols, ReconcileInterval = reconcile },
            new Factory(socket),
            scheduler: new HistoricalScheduler());
        IDisposable subscription = connection.Frames.Subscribe(f => _sink += f.Length);
        return (socket, subscription);
    }

    private sealed class Factory(InstantSocket socket) : IFeedSocketFactory
    {
        public IFeedSocket Create(Uri endpoint) => socket;
    }

    /// <summary>Opens at once and acks every request at once (a LIST with the subscribed streams).</summary>
    private sealed class InstantSocket : IFeedSocket
    {
        private readonly Subject<string> _messages = new();
        private readonly List<string> _held = [];

        public IObservable<string> Messages => _messages;

        public IObservable<SocketDisconnect> Disconnected => Observable.Never<SocketDisconnect>();

        public IObservable<Unit> Connect() => Observable.Return(Unit.Default);

        public void Receive(string frame) => _messages.OnNext(frame);

        public Task SendAsync(string text)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(text);
            long id = doc.RootElement.GetProperty("id").GetInt64();
            if (doc.RootElement.GetProperty("method").GetString() == "SUBSCRIBE")
            {
                _held.AddRange(doc.RootElement.GetProperty("params").EnumerateArray().Select(e => e.GetString()!));
                _messages.OnNext($"{{\"result\":null,\"id\":{id}}}");
            }
            else
            {
                _messages.OnNext($"{{\"result\":{System.Text.Json.JsonSerializer.Serialize(_held)},\"id\":{id}}}");
            }

            return Task.CompletedTask;
        }

        public void Close(int code, string reason)
        {
        }

        public void Dispose() => _messages.Dispose();
    }
}
