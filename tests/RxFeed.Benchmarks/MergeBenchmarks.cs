using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using BenchmarkDotNet.Attributes;
using RxFeed;
using RxFeed.Diagnostics;
using RxFeed.Parsing;

namespace RxFeed.Benchmarks;

/// <summary>
/// The cost of a hedged feed's merge per delivered tick, 1000 ticks of 3 symbols per invoke. The baseline is one source
/// through the per-symbol order gate a single endpoint's ticks pass (<see cref="OutOfOrderGate"/>, the work the merge
/// takes over); <see cref="MergeOneSource"/> is the merge with nothing to merge; <see cref="MergeTwoSources"/> is the
/// hedge: every tick arrives twice, the second copy three ticks later (an endpoint a little behind; the last three copies come at the end of the invoke), so every delivered
/// tick also costs a dropped duplicate and a lead recorded. Every benchmark stamps its ticks with a fresh u the same way, so u rises across invokes as on a live feed. None may allocate.
/// </summary>
[MemoryDiagnoser]
public class MergeBenchmarks
{
    private const int TicksPerInvoke = 1000;
    private const int Lag = 3;
    private readonly BookTicker[] _ticks = new BookTicker[TicksPerInvoke];
    private readonly BookTicker[] _ticksB = new BookTicker[TicksPerInvoke];
    private Subject<BookTicker> _single = null!;
    private Subject<BookTicker> _mergedAlone = null!;
    private Subject<BookTicker> _a = null!;
    private Subject<BookTicker> _b = null!;
    private CompositeDisposable _subscriptions = null!;
    private long _u;
    private long _sink;

    [GlobalSetup]
    public void Setup()
    {
        _single = new Subject<BookTicker>();
        _mergedAlone = new Subject<BookTicker>();
        _a = new Subject<BookTicker>();
        _b = new Subject<BookTicker>();
        string[] symbols = ["ETHUSDT", "BTCUSDT", "ADAUSDT"];
        for (int i = 0; i < TicksPerInvoke; i++)
        {
            _ticks[i] = new BookTicker(symbols[i % 3], 0, 2683.80m, 3.0292m, 2683.81m, 31.4395m);

            // Each endpoint's parser has its own string per symbol: B's copies carry other instances, as live.
            _ticksB[i] = _ticks[i] with { Symbol = new string(symbols[i % 3].AsSpan()) };
        }

        var gate = new OutOfOrderGate();
        _subscriptions =
        [
            _single.Where(t => gate.Admit(t.Symbol, t.UpdateId)).Subscribe(t => _sink += t.UpdateId),
            new[] { _mergedAlone }.MergeFirstArrival(new ArrivalRace(["a"])).Subscribe(t => _sink += t.UpdateId),
            new[] { _a, _b }.MergeFirstArrival(new ArrivalRace(["a", "b"])).Subscribe(t => _sink += t.UpdateId),
        ];
    }

    [GlobalCleanup]
    public void Cleanup() => _subscriptions.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = TicksPerInvoke)]
    public long SingleSourceThroughTheOrderGate()
    {
        long u = _u;
        foreach (BookTicker t in _ticks)
        {
            _single.OnNext(t with { UpdateId = ++u, ReceivedNs = u });
        }

        _u = u;
        return _sink;
    }

    [Benchmark(OperationsPerInvoke = TicksPerInvoke)]
    public long MergeOneSource()
    {
        long u = _u;
        foreach (BookTicker t in _ticks)
        {
            _mergedAlone.OnNext(t with { UpdateId = ++u, ReceivedNs = u });
        }

        _u = u;
        return _sink;
    }

    [Benchmark(OperationsPerInvoke = TicksPerInvoke)]
    public long MergeTwoSources()
    {
        BookTicker[] ticks = _ticks;
        long u0 = _u;
        for (int i = 0; i < ticks.Length + Lag; i++)
        {
            if (i < ticks.Length)
            {
                long u = u0 + i + 1;
                _a.OnNext(ticks[i] with { UpdateId = u, ReceivedNs = u });
            }

            if (i >= Lag)
            {
                long u = u0 + i - Lag + 1;
                _b.OnNext(_ticksB[i - Lag] with { UpdateId = u, ReceivedNs = u + 5_000 });
            }
        }

        _u = u0 + ticks.Length;
        return _sink;
    }
}
