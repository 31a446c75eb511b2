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
    /// <param name="rejoinHold">A source silent on a symbol for longer than this while another delivered it is rejoining
    /// (after a reconnect): its ticks ahead of the feed wait until the others catch up to its first one, at most this long
    /// by the ticks' receive times, so the ticks the others still carry in between are delivered, not lost. Default 500 ms.</param>
    /// <returns>The merged feed.</returns>
    public static IObservable<BookTicker> MergeFirstArrival(this IReadOnlyList<IObservable<BookTicker>> sources, ArrivalRace? race = null, TimeSpan? rejoinHold = null)
    {
        TimeSpan hold = rejoinHold ?? TimeSpan.FromMilliseconds(500);
        ArgumentOutOfRangeException.ThrowIfLessThan(hold, TimeSpan.Zero, nameof(rejoinHold));
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentOutOfRangeException.ThrowIfZero(sources.Count);
        if (race is not null && race.Sources.Count != sources.Count)
        {
            throw new ArgumentException($"The race has {race.Sources.Count} sources, the merge {sources.Count}.", nameof(race));
        }

        IObservable<BookTicker>[] inputs = [.. sources];
        return Observable.Create<BookTicker>(observer =>
            new FirstArrivalSink(observer, race ?? new ArrivalRace([.. inputs.Select((_, i) => "source " + i)]), hold.Ticks * 100).Run(inputs));
    }

    /// <summary>
    /// One subscription's state: per symbol the last delivered <c>u</c> and a ring of recent arrivals (u, receive time,
    /// winner) to match late copies against, allocated once per symbol, so steady state allocates nothing per tick.
    /// </summary>
    private sealed class FirstArrivalSink(IObserver<BookTicker> observer, ArrivalRace race, long holdNs) : IDisposable
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
                if (state.Holding > 0 || state.Rejoins(source.Index, tick.ReceivedNs, holdNs))
                {
                    if (Rejoining(state, source, tick))
                    {
                        return;
                    }
                }
                else
                {
                    state.Seen(source.Index, tick.ReceivedNs);
                }

                if (tick.UpdateId > state.LastU)
                {
                    Deliver(state, source.Index, tick);
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
            return slot ??= new SymbolArrivals(RingSize, _race.Length);
        }

        private void Deliver(SymbolArrivals state, int source, in BookTicker tick)
        {
            state.Add(tick.UpdateId, tick.ReceivedNs, source);
            _race[source].CountFirst();
            observer.OnNext(tick);
            if (state.Holding > 0)
            {
                Catch(state, tick.ReceivedNs);
            }
        }

        /// <summary>
        /// The slow path, while any source rejoins the symbol. Returns true when the tick was taken (held); false sends it
        /// down the normal path (the source is in step, or holds nothing).
        /// </summary>
        private bool Rejoining(SymbolArrivals state, SourceObserver source, in BookTicker tick)
        {
            int s = source.Index;
            if (!state.IsHolding(s))
            {
                state.Rejoins(s, tick.ReceivedNs, holdNs); // another source's rejoin is under way; this one may be rejoining too
            }

            state.Seen(s, tick.ReceivedNs);
            ExpireHolds(state, tick.ReceivedNs);
            if (!state.IsHolding(s))
            {
                return false;
            }

            if (tick.UpdateId <= state.LastU)
            {
                Release(state, s); // behind or level with the feed: in step, nothing of it is ahead
                return false;
            }

            if (state.TryHold(s, tick))
            {
                return true;
            }

            Release(state, s); // the buffer is full: the others are too far behind to wait for
            return false;
        }

        /// <summary>After a delivery: held copies the feed has passed are duplicates; a source the feed caught up with is released.</summary>
        private void Catch(SymbolArrivals state, long nowNs)
        {
            for (int s = 0; s < _race.Length; s++)
            {
                if (state.IsHolding(s))
                {
                    _race[s].CountDuplicates(state.DropHeldUpTo(s, state.LastU));
                    if (state.HeldFirstU(s) <= state.LastU)
                    {
                        Release(state, s);
                    }
                }
            }

            ExpireHolds(state, nowNs);
        }

        private void ExpireHolds(SymbolArrivals state, long nowNs)
        {
            for (int s = 0; s < _race.Length; s++)
            {
                if (state.IsHolding(s) && nowNs - state.HeldSinceNs(s) > holdNs)
                {
                    Release(state, s);
                }
            }
        }

        /// <summary>Delivers what a source holds beyond the feed, in order, and lets its ticks through again.</summary>
        private void Release(SymbolArrivals state, int s)
        {
            ReadOnlySpan<BookTicker> held = state.StopHolding(s);
            foreach (ref readonly BookTicker t in held)
            {
                if (t.UpdateId > state.LastU)
                {
                    state.Add(t.UpdateId, t.ReceivedNs, s);
                    _race[s].CountFirst();
                    observer.OnNext(t);
                }
                else
                {
                    _race[s].CountDuplicates(1);
                }
            }
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
}
