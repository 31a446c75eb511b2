using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Runtime.InteropServices;
using RxFeed.Diagnostics;

namespace RxFeed;

/// <summary>RxFeed's operators.</summary>
public static partial class FeedObservable
{
    /// <summary>
    /// Keeps, per key, only the latest value while the consumer is busy: a value whose key already has one waiting
    /// replaces it in place (counted in <paramref name="counts"/> and <c>rxfeed.conflated</c>), and the waiting values
    /// are delivered on <paramref name="scheduler"/>, oldest key first, as soon as the consumer returns from the
    /// previous one. Values of one key are never reordered; a consumer that keeps up sees every value; at most one value
    /// per key waits, so however slow the consumer, memory is bounded by the number of keys. Completion and errors pass
    /// through after the waiting values; disposal drops them.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <typeparam name="TKey">The key, e.g. the symbol; the selector must not return null.</typeparam>
    /// <param name="source">The feed; it may call from any thread.</param>
    /// <param name="keySelector">The key of a value; if it throws or returns null, the stream ends in that error.</param>
    /// <param name="scheduler">Where the consumer is called; one delivery at a time.</param>
    /// <param name="counts">Where replaced values are counted; several subscriptions may share one.</param>
    /// <returns>The feed, conflated per key.</returns>
    public static IObservable<T> Conflate<T, TKey>(this IObservable<T> source, Func<T, TKey> keySelector, IScheduler scheduler, ConflationCounts<TKey>? counts = null)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(keySelector);
        ArgumentNullException.ThrowIfNull(scheduler);
        return Observable.Create<T>(observer => new ConflateSink<T, TKey>(observer, keySelector, scheduler, counts).Run(source));
    }

    /// <summary>
    /// One subscription's state. The gate guards only the waiting values and the flags, never a call out: the consumer
    /// runs outside it, so a producer on another thread only ever waits for a dictionary write. A drain, once
    /// scheduled, loops until nothing waits, so a busy feed costs one scheduled item per idle-to-busy change rather
    /// than one per value; the dictionary and queue are reused, so steady state allocates nothing per value.
    /// </summary>
    private sealed class ConflateSink<T, TKey>(IObserver<T> observer, Func<T, TKey> keySelector, IScheduler scheduler, ConflationCounts<TKey>? counts) : IObserver<T>, IDisposable
        where TKey : notnull
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<TKey, T> _waiting = [];
        private readonly Queue<TKey> _order = new();
        private readonly SingleAssignmentDisposable _upstream = new();
        private IDisposable? _scheduledDrain;
        private long _drainRequests;
        private bool _draining;
        private bool _ended;
        private Exception? _error;
        private bool _disposed;

        public ConflateSink<T, TKey> Run(IObservable<T> source)
        {
            _upstream.Disposable = source.Subscribe(this);
            return this;
        }

        public void OnNext(T value)
        {
            TKey key;
            try
            {
                key = keySelector(value);
                if (key is null)
                {
                    throw new InvalidOperationException("The key selector of Conflate returned null.");
                }
            }
            catch (Exception e)
            {
                OnError(e);
                return;
            }

            bool replaced;
            long drain = 0;
            lock (_gate)
            {
                if (_ended || _disposed)
                {
                    return;
                }

                // The waiting value, if any, keeps its place in the delivery order: replacing never moves a key back.
                ref T? slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_waiting, key, out replaced);
                slot = value;
                if (!replaced)
                {
                    _order.Enqueue(key);
                    drain = ClaimDrain();
                }
            }

            if (replaced)
            {
                counts?.Replaced(key);
                RxFeedMeters.CountConflated(key);
            }
            else if (drain != 0)
            {
                ScheduleDrain(drain);
            }
        }

        // An error is delivered after the waiting values, as ObserveOn does: they arrived before it and each is its key's
        // latest, which nothing newer replaced, so dropping them would lose the last word on those keys for no reason.
        public void OnError(Exception error) => End(error);

        public void OnCompleted() => End(null);

        public void Dispose()
        {
            IDisposable? drain;
            lock (_gate)
            {
                _disposed = true;
                _waiting.Clear();
                _order.Clear();
                drain = _scheduledDrain;
                _scheduledDrain = null;
            }

            drain?.Dispose();
            _upstream.Dispose();
        }

        private void End(Exception? error)
        {
            long drain;
            lock (_gate)
            {
                if (_ended || _disposed)
                {
                    return;
                }

                _ended = true;
                _error = error;
                drain = ClaimDrain();
            }

            // Nothing more comes from upstream; the consumer still gets what waits, then the end.
            _upstream.Dispose();
            if (drain != 0)
            {
                ScheduleDrain(drain);
            }
        }

        /// <summary>Under the gate: 0 when a drain is already scheduled or running (it will see the new state), else this request's number.</summary>
        private long ClaimDrain()
        {
            if (_draining)
            {
                return 0;
            }

            _draining = true;
            return ++_drainRequests;
        }

        private void ScheduleDrain(long request)
        {
            // Scheduled outside the gate: an immediate scheduler runs the drain (and the consumer) right here.
            IDisposable scheduled = scheduler.Schedule(this, static (_, sink) =>
            {
                sink.Drain();
                return Disposable.Empty;
            });

            bool cancel = false;
            lock (_gate)
            {
                if (_disposed)
                {
                    cancel = true;
                }
                else if (request == _drainRequests && _draining)
                {
                    // Kept for Dispose only while it is still this drain's; a later request's handle is never overwritten.
                    _scheduledDrain = scheduled;
                }
            }

            if (cancel)
            {
                scheduled.Dispose();
            }
        }

        private void Drain()
        {
            Exception? error;
            while (true)
            {
                T value;
                lock (_gate)
                {
                    if (_disposed)
                    {
                        return;
                    }

                    if (_order.TryDequeue(out TKey? key))
                    {
                        _waiting.Remove(key, out value!);
                    }
                    else if (_ended)
                    {
                        _disposed = true;
                        _scheduledDrain = null;
                        error = _error;
                        break;
                    }
                    else
                    {
                        // Idle: the next value schedules a new drain.
                        _draining = false;
                        _scheduledDrain = null;
                        return;
                    }
                }

                // Outside the gate: a value arriving while the consumer works waits (and may be replaced) for the next turn.
                observer.OnNext(value);
            }

            if (error is null)
            {
                observer.OnCompleted();
            }
            else
            {
                observer.OnError(error);
            }
        }
    }
}
