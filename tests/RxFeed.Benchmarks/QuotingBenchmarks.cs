using System.Reactive.Linq;
using System.Reactive.Subjects;
using BenchmarkDotNet.Attributes;
using RxFeed;
using RxFeed.Quoting;
using RxFeed.Time;

namespace RxFeed.Benchmarks;

/// <summary>
/// Tick → health → quote → order decision, per tick, through the same <see cref="QuotingSession"/> the host runs. The
/// "unchanged" case is the hot path (the candidate does not differ: no quote, no order) and must allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class QuotingBenchmarks
{
    private const int TicksPerInvoke = 1000;
    private Subject<BookTicker> _baselineSource = null!;
    private Subject<BookTicker> _source = null!;
    private QuotingSession _session = null!;
    private System.Reactive.Disposables.CompositeDisposable _subscriptions = null!;
    private BookTicker _template;
    private long _ts;
    private long _u;
    private long _sink;
    private SymbolMachine _machine = null!;
    private NoOutput _noOutput = null!;

    [GlobalSetup]
    public void Setup()
    {
        _template = new BookTicker("ETHUSDT", 1, 2683.80m, 3.0292m, 2683.81m, 31.4395m, 1_723_161_254_024_619_568);
        _ts = _template.ReceivedNs;
        _u = 1;
        _baselineSource = new Subject<BookTicker>();
        IDisposable baseline = _baselineSource.Where(static t => !t.IsInverted).Subscribe(t => _sink += t.UpdateId);

        _source = new Subject<BookTicker>();
        var options = new QuotingSessionOptions { Quote = new QuoteOptions { PricePrecision = 2 } };
        _session = QuotingSession.Attach(_source, options, null, new ReplayScheduler(_ts));
        IDisposable quotes = _session.Quotes.Subscribe(q => _sink += q.UpdateId);
        IDisposable orders = _session.Orders.Subscribe(o => _sink += o.TsNs);
        IDisposable run = _session.Start();
        _subscriptions = new System.Reactive.Disposables.CompositeDisposable(baseline, quotes, orders, run);

        _machine = new SymbolMachine("ETHUSDT", new QuotePricer(options.Quote), 10_000_000_000, "stale");
        _noOutput = new NoOutput();
        _machine.OnTick(Next(0m), _noOutput);

        // The first tick quotes and places both orders; every later tick at the same prices changes nothing.
        _source.OnNext(Next(0m));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _subscriptions.Dispose();
        _session.Dispose();
    }

    /// <summary>Rx delivery alone: Subject → Where → observer.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = TicksPerInvoke)]
    public void Baseline_RxDeliveryOnly()
    {
        for (int i = 0; i < TicksPerInvoke; i++)
        {
            _baselineSource.OnNext(Next(0m));
        }
    }

    /// <summary>Health + candidate + differ rule + order decision; the candidate never differs.</summary>
    [Benchmark(OperationsPerInvoke = TicksPerInvoke)]
    public void TickToOrderDecision_Unchanged()
    {
        for (int i = 0; i < TicksPerInvoke; i++)
        {
            _source.OnNext(Next(0m));
        }
    }

    /// <summary>The per-symbol state machine alone, no Rx and no gate: what the unchanged tick costs inside the engine.</summary>
    [Benchmark(OperationsPerInvoke = TicksPerInvoke)]
    public void MachineOnly_Unchanged()
    {
        for (int i = 0; i < TicksPerInvoke; i++)
        {
            _machine.OnTick(Next(0m), _noOutput);
        }
    }

    /// <summary>Below the requote threshold: the bid moves by less than one rounded tick (0.001 × 0.999 rounds away).</summary>
    [Benchmark(OperationsPerInvoke = TicksPerInvoke)]
    public void TickToOrderDecision_SubTickMoves()
    {
        for (int i = 0; i < TicksPerInvoke; i++)
        {
            _source.OnNext(Next((i & 1) == 0 ? 0.001m : 0m));
        }
    }

    /// <summary>Every tick requotes and replaces both orders (the change path; allocates the quote's ids and events).</summary>
    [Benchmark(OperationsPerInvoke = TicksPerInvoke)]
    public void TickToOrderDecision_EveryTickRequotes()
    {
        for (int i = 0; i < TicksPerInvoke; i++)
        {
            _source.OnNext(Next((i & 1) == 0 ? 1m : 0m));
        }
    }

    private BookTicker Next(decimal bidMove)
    {
        _ts += 1_000_000; // 1 ms per tick: the order bucket (10/s) refills, so the requote case places orders too
        return _template with { UpdateId = ++_u, ReceivedNs = _ts, BidPrice = _template.BidPrice + bidMove, AskPrice = _template.AskPrice + bidMove };
    }

    private sealed class NoOutput : IQuotingOutput
    {
        public long Count { get; private set; }

        public void OnHealth(in Health.HealthChange change) => Count++;

        public void OnQuote(in QuoteUpdate update) => Count++;

        public void OnCrossingRefused() => Count++;
    }
}
