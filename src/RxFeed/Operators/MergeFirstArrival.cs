using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using RxFeed.Diagnostics;

namespace RxFeed;

/// <summary>RxFeed's operators.</summary>
public static partial class FeedObservable
{
    /// <summary>
    /// Merges several sources of the same book tickers (one per endpoint) into one feed, per symbol by <c>u</c>: the first
    /// arrival of each <c>u</c> is delivered, later copies are dropped and counted as duplicates of the source that sent
    /// them (a tick older than one already delivered is dropped as late), so the output keeps <c>u</c> strictly rising per
    /// symbol. When a copy arrives, the winner's lead over it (the copies' receive times apart) goes into
    /// <paramref name="race"/>. A source that errors or completes leaves the others going; the merge ends when every source
    /// has ended, in the last error if any source failed. Disposal disposes every source.
    /// </summary>
    /// <param name="sources">The sources, each with <c>u</c> rising per symbol (as <c>ToBookTickers</c> delivers them). They
    /// may call from different threads; calls are serialized by the merge.</param>
    /// <param name="race">Per source: ticks delivered first, duplicates, late ticks, leads. Sized to the sources; a new one
    /// per subscription when null.</param>
    /// <returns>The merged feed.</returns>
    public static IObservable<BookTicker> MergeFirstArrival(this IReadOnlyList<IObservable<BookTicker>> sources, ArrivalRace? race = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentOutOfRangeException.ThrowIfZero(sources.Count);
        if (race is not null && race.Sources.Count != sources.Count)
        {
            throw new ArgumentException($"The race has {race.Sources.Count} sources, the merge {sources.Count}.", nameof(race));
        }

        IObservable<BookTicker>[] inputs = [.. sources];
        return Observable.Create<BookTicker>(observer =>
            new FirstArrivalSink(observer, race ?? new ArrivalRace([.. inputs.Select((_, i) => "source " + i)])).Run(inputs));
    }

    private struct Arrival
    {
        public long UpdateId;
        public long ReceivedNs;
        public int Source;
        public bool LeadRecorded;
    }

    /// <summary>
    /// One subscription's state: per symbol the last delivered <c>u</c> and a ring of recent arrivals (u, receive time,
    /// winner) to match late copies against, allocated once per symbol, so steady state allocates nothing per tick.
    /// </summary>
    private sealed class FirstArrivalSink(IObserver<BookTicker> observer, ArrivalRace race) : IDisposable
    {
        // A copy more than this many ticks of its symbol behind the winner is late rather than a duplicate: at 1,000
        // ticks a second that is a lead of ~250 ms, far beyond any endpoint worth hedging with.
        private const int RingSize = 256;
        private readonly Lock _gate = new();
        private readonly Dictionary<string, SymbolArrivals> _symbols = new(StringComparer.Ordinal);
        private readonly CompositeDisposable _subscriptions = [];
        private readonly SourceArrivals[] _race = [.. race.Sources];
        private int _live;
        private Exception? _error;
        private bool _done;

        public FirstArrivalSink Run(IObservable<BookTicker>[] sources)
        {
            _live = sources.Length;
            for (int i = 0; i < sources.Length; i++)
            {
                var source = new SourceObserver(this, i, _race[i]);
                _subscriptions.Add(source);
                source.Upstream.Disposable = sources[i].Subscribe(source);
            }

            return this;
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _done = true;
            }

            _subscriptions.Dispose();
        }

        private void OnNext(SourceObserver source, in BookTicker tick)
        {
            lock (_gate)
            {
                if (_done)
                {
                    return;
                }

                SymbolArrivals state = source.Lookup(tick.Symbol);
                if (tick.UpdateId > state.LastU)
                {
                    state.Add(tick.UpdateId, tick.ReceivedNs, source.Index);
                    source.Race.CountFirst();
                    observer.OnNext(tick);
                    return;
                }

                ref Arrival first = ref state.Find(tick.UpdateId);
                if (Unsafe.IsNullRef(ref first))
                {
                    source.Race.CountLate();
                    return;
                }

                source.Race.CountDuplicate();
                if (!first.LeadRecorded && first.Source != source.Index)
                {
                    // The lead over the runner-up only: a third copy says nothing more about who is faster.
                    first.LeadRecorded = true;
                    _race[first.Source].Lead.Record(tick.ReceivedNs - first.ReceivedNs);
                }
            }
        }

        /// <summary>The symbol's state, made on its first tick; called under the gate.</summary>
        private SymbolArrivals StateOf(string symbol)
        {
            ref SymbolArrivals? slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_symbols, symbol, out _);
            return slot ??= new SymbolArrivals(RingSize);
        }

        private void OnEnded(int source, Exception? error)
        {
            lock (_gate)
            {
                if (_done)
                {
                    return;
                }

                if (error is not null)
                {
                    race.Sources[source].CountError();
                    _error = error;
                }

                if (--_live > 0)
                {
                    return;
                }

                _done = true;
                if (_error is { } e)
                {
                    observer.OnError(e);
                }
                else
                {
                    observer.OnCompleted();
                }
            }
        }

        /// <summary>
        /// One source's subscription. Each endpoint's parser hands out its own string per symbol, so each source keeps
        /// its own last-symbol cache: a reference compare usually saves the hash, whichever source spoke last.
        /// </summary>
        private sealed class SourceObserver(FirstArrivalSink sink, int index, SourceArrivals race) : IObserver<BookTicker>, IDisposable
        {
            private string? _lastSymbol;
            private SymbolArrivals? _lastState;

            public SingleAssignmentDisposable Upstream { get; } = new();

            public int Index => index;

            public SourceArrivals Race => race;

            public void OnNext(BookTicker value) => sink.OnNext(this, value);

            public SymbolArrivals Lookup(string symbol)
            {
                if (ReferenceEquals(symbol, _lastSymbol) && _lastState is { } last)
                {
                    return last;
                }

                SymbolArrivals state = sink.StateOf(symbol);
                (_lastSymbol, _lastState) = (symbol, state);
                return state;
            }

            public void OnError(Exception error)
            {
                Upstream.Dispose();
                sink.OnEnded(index, error);
            }

            public void OnCompleted()
            {
                Upstream.Dispose();
                sink.OnEnded(index, null);
            }

            public void Dispose() => Upstream.Dispose();
        }
    }

    /// <summary>One symbol's recent deliveries, oldest overwritten; <c>u</c> rises along the ring.</summary>
    private sealed class SymbolArrivals(int size)
    {
        private readonly Arrival[] _ring = new Arrival[size];
        private int _head = -1;
        private int _count;

        /// <summary>Gets the last delivered <c>u</c> (<see cref="long.MinValue"/> before the first).</summary>
        public long LastU { get; private set; } = long.MinValue;

        public void Add(long updateId, long receivedNs, int source)
        {
            _head = (_head + 1) & (_ring.Length - 1);
            _ring[_head] = new Arrival { UpdateId = updateId, ReceivedNs = receivedNs, Source = source };
            _count = Math.Min(_count + 1, _ring.Length);
            LastU = updateId;
        }

        /// <summary>The arrival of <paramref name="updateId"/>, newest first (a copy is usually of a recent tick).</summary>
        public ref Arrival Find(long updateId)
        {
            for (int n = 0, i = _head; n < _count; n++, i = (i - 1) & (_ring.Length - 1))
            {
                ref Arrival a = ref _ring[i];
                if (a.UpdateId == updateId)
                {
                    return ref a;
                }

                if (a.UpdateId < updateId)
                {
                    break;
                }
            }

            return ref Unsafe.NullRef<Arrival>();
        }
    }
}
