using System.Reactive.Disposables;
using RxFeed.Connection;
using RxFeed.Health;
using RxFeed.Time;

namespace RxFeed.Quoting;

/// <summary>
/// One subscription of <see cref="QuotingProducer"/>: the per-symbol machines behind one gate and one lazy timer. The timer
/// is armed only when the earliest deadline moves earlier, so a tick that changes nothing schedules nothing.
/// </summary>
internal sealed class QuotingSink : IQuotingOutput, IObserver<BookTicker>, IDisposable
{
    private readonly Lock _gate = new();
    private readonly QuotingProducer _parent;
    private readonly IObserver<QuotingEvent> _observer;
    private readonly Dictionary<string, SymbolMachine> _machines = new(StringComparer.Ordinal);
    private readonly List<SymbolMachine> _all = [];
    private readonly CompositeDisposable _subscriptions = [];
    private readonly Action<long> _onTimer;
    private long _minDeadline = long.MaxValue; // a lower bound of every machine's NextDeadline
    private long _timerAt = long.MaxValue;
    private IDisposable? _timer;
    private bool _done;
    private long _lastTsNs = long.MinValue;
    private string? _lastSymbol;
    private SymbolMachine? _lastMachine;

    public QuotingSink(QuotingProducer parent, IObserver<QuotingEvent> observer)
    {
        _parent = parent;
        _observer = observer;
        _onTimer = OnTimer;
    }

    public IDisposable Run()
    {
        if (_parent.Links is { } links)
        {
            _subscriptions.Add(links.Subscribe(OnLink, OnError, static () => { }));
        }

        if (_parent.HealthInput is { } health)
        {
            _subscriptions.Add(health.Subscribe(OnExternalHealth, OnError, static () => { }));
        }

        _subscriptions.Add(_parent.Ticks.Subscribe(this));
        return this;
    }

    public void OnNext(BookTicker value)
    {
        lock (_gate)
        {
            if (_done || value.Symbol is null)
            {
                return;
            }

            if (value.ReceivedNs == 0)
            {
                // An unstamped tick (hand-made, or a marble value) is stamped with the scheduler's clock.
                value = value with { ReceivedNs = _parent.Scheduler.NowUnixNanoseconds() };
            }

            long now = value.ReceivedNs;
            CatchUp(now);

            // Parsed symbols are interned, so a reference check usually spares the dictionary lookup.
            SymbolMachine machine = ReferenceEquals(value.Symbol, _lastSymbol) ? _lastMachine! : Get(value.Symbol);
            (_lastSymbol, _lastMachine) = (value.Symbol, machine);
            machine.OnTick(value, this);
            _minDeadline = Math.Min(_minDeadline, machine.NextDeadline);
            Arm(now);
        }
    }

    public void OnError(Exception error)
    {
        lock (_gate)
        {
            if (_done)
            {
                return;
            }

            _done = true;
            _timer?.Dispose();
            _observer.OnError(error);
        }
    }

    public void OnCompleted()
    {
        lock (_gate)
        {
            if (_done)
            {
                return;
            }

            // Time ends with the input: deadlines after the last tick never come (replay's virtual time stops there).
            _done = true;
            _timer?.Dispose();
            _observer.OnCompleted();
        }
    }

    // Events leave in the order they are decided, each stamped no earlier than the one before: live, a timer's due time
    // can be later than the receive time of a tick that reached the quoting thread after the timer fired.
    public void OnHealth(in HealthChange change) =>
        _observer.OnNext(new QuotingEvent(QuotingEventKind.Health, change with { TsNs = Monotonic(change.TsNs) }, default));

    public void OnQuote(in QuoteUpdate update) =>
        _observer.OnNext(new QuotingEvent(QuotingEventKind.Quote, default, update with { TsNs = Monotonic(update.TsNs) }));

    public void OnCrossingRefused() => _parent.CountCrossingRefused();

    public void Dispose()
    {
        lock (_gate)
        {
            _done = true;
            _timer?.Dispose();
        }

        _subscriptions.Dispose();
    }

    private long Monotonic(long tsNs) => _lastTsNs = Math.Max(_lastTsNs, tsNs);

    private void OnLink(LinkEvent link)
    {
        lock (_gate)
        {
            if (_done || link.Symbols is null)
            {
                return;
            }

            CatchUp(link.AtNs);
            foreach (string symbol in link.Symbols)
            {
                SymbolMachine machine = Get(symbol);
                machine.OnLink(link, this);
                _minDeadline = Math.Min(_minDeadline, machine.NextDeadline);
            }

            Arm(link.AtNs);
        }
    }

    private void OnExternalHealth(HealthChange change)
    {
        lock (_gate)
        {
            if (_done || change.Symbol is null)
            {
                return;
            }

            CatchUp(change.TsNs);
            SymbolMachine machine = Get(change.Symbol);
            machine.OnHealth(change, this);
            _minDeadline = Math.Min(_minDeadline, machine.NextDeadline);
            Arm(change.TsNs);
        }
    }

    private SymbolMachine Get(string symbol)
    {
        if (!_machines.TryGetValue(symbol, out SymbolMachine? machine))
        {
            machine = new SymbolMachine(symbol, _parent.Pricer, _parent.StaleNs, _parent.StaleReason, _parent.HealthInput is not null);
            _machines.Add(symbol, machine);
            _all.Add(machine);
        }

        return machine;
    }

    /// <summary>Runs every deadline at or before <paramref name="now"/>, earliest first across symbols.</summary>
    private void CatchUp(long now)
    {
        if (now < _minDeadline)
        {
            return;
        }

        while (true)
        {
            SymbolMachine? first = null;
            long earliest = long.MaxValue;
            foreach (SymbolMachine machine in _all)
            {
                long due = machine.NextDeadline;
                if (due < earliest)
                {
                    earliest = due;
                    first = machine;
                }
            }

            _minDeadline = earliest;
            if (first is null || earliest > now || !first.StepDeadline(now, this))
            {
                return;
            }
        }
    }

    private void Arm(long nowNs)
    {
        if (_minDeadline >= _timerAt || _minDeadline == long.MaxValue)
        {
            return;
        }

        _timer?.Dispose();
        long target = _minDeadline;
        _timerAt = target;
        _timer = Deadline.Schedule(_parent.Scheduler, target, nowNs, _onTimer);
    }

    private void OnTimer(long target)
    {
        lock (_gate)
        {
            if (!_done && _timerAt == target)
            {
                _timerAt = long.MaxValue;
                _timer = null;
                CatchUp(target);
                Arm(target);
            }
        }
    }
}
