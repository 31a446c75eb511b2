using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Subjects;
using BenchmarkDotNet.Attributes;
using RxFeed;
using RxFeed.Diagnostics;

namespace RxFeed.Benchmarks;

/// <summary>
/// Conflate's two paths, per 1000 ticks of 3 symbols: replacing a waiting tick while the consumer is busy (the drain is
/// held, never run), and handing every tick straight to a consumer that keeps up (the drain runs inline). Neither may
/// allocate: the live feed pushes about a million ticks a second through it.
/// </summary>
[MemoryDiagnoser]
public class ConflateBenchmarks
{
    private const int TicksPerInvoke = 1000;
    private readonly BookTicker[] _ticks = new BookTicker[TicksPerInvoke];
    private Subject<BookTicker> _busy = null!;
    private Subject<BookTicker> _keepingUp = null!;
    private CompositeDisposable _subscriptions = null!;
    private long _sink;

    [GlobalSetup]
    public void Setup()
    {
        string[] symbols = ["ETHUSDT", "BTCUSDT", "ADAUSDT"];
        for (int i = 0; i < TicksPerInvoke; i++)
        {
            _ticks[i] = new BookTicker(symbols[i % 3], i + 1, 2683.80m, 3.0292m, 2683.81m, 31.4395m);
        }

        _busy = new Subject<BookTicker>();
        _keepingUp = new Subject<BookTicker>();
        _subscriptions =
        [
            _busy.Conflate(static t => t.Symbol, new HeldScheduler(), new ConflationCounts<string>()).Subscribe(t => _sink += t.UpdateId),
            _keepingUp.Conflate(static t => t.Symbol, new InlineScheduler()).Subscribe(t => _sink += t.UpdateId),
        ];
    }

    [GlobalCleanup]
    public void Cleanup() => _subscriptions.Dispose();

    [Benchmark(OperationsPerInvoke = TicksPerInvoke)]
    public void ReplaceWhileBusy()
    {
        foreach (BookTicker t in _ticks)
        {
            _busy.OnNext(t);
        }
    }

    [Benchmark(OperationsPerInvoke = TicksPerInvoke)]
    public long DeliverToAConsumerThatKeepsUp()
    {
        foreach (BookTicker t in _ticks)
        {
            _keepingUp.OnNext(t);
        }

        return _sink;
    }

    /// <summary>Never runs what is scheduled: the consumer stays busy, so every tick after the first of its symbol replaces one.</summary>
    private sealed class HeldScheduler : IScheduler
    {
        public DateTimeOffset Now => DateTimeOffset.UnixEpoch;

        public IDisposable Schedule<TState>(TState state, Func<IScheduler, TState, IDisposable> action) => Disposable.Empty;

        public IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action) => Disposable.Empty;

        public IDisposable Schedule<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action) => Disposable.Empty;
    }

    /// <summary>Runs what is scheduled at once, without the allocation ImmediateScheduler makes per call.</summary>
    private sealed class InlineScheduler : IScheduler
    {
        public DateTimeOffset Now => DateTimeOffset.UnixEpoch;

        public IDisposable Schedule<TState>(TState state, Func<IScheduler, TState, IDisposable> action) => action(this, state);

        public IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action) => action(this, state);

        public IDisposable Schedule<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action) => action(this, state);
    }
}
