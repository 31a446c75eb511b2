using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using RxFeed.Resilience;

namespace RxFeed;

/// <summary>The feed's operators: each an extension method on <see cref="IObservable{T}"/>, one file per operator.</summary>
public static partial class FeedObservable
{
    /// <summary>
    /// Passes the source through, but errors with <see cref="StaleFeedException"/> when no element arrives for
    /// <paramref name="after"/> since subscription or since the last element. An element that arrives exactly at the
    /// bound keeps the feed alive. Completion and errors pass through.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="source">The feed.</param>
    /// <param name="after">The staleness bound; greater than zero.</param>
    /// <param name="scheduler">The clock and timers; default <see cref="DefaultScheduler.Instance"/>.</param>
    /// <returns>The feed, ending in <see cref="StaleFeedException"/> when it falls silent.</returns>
    public static IObservable<T> StaleAfter<T>(this IObservable<T> source, TimeSpan after, IScheduler? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(after, TimeSpan.Zero);
        var clock = scheduler ?? DefaultScheduler.Instance;
        return Observable.Create<T>(observer => new StaleAfterSink<T>(observer, after, clock).Run(source));
    }

    /// <summary>
    /// One subscription's state. Elements only stamp the time; a single timer wakes at "last + bound" and re-arms itself
    /// if elements came meanwhile, so the hot path never touches the scheduler's queue.
    /// </summary>
    private sealed class StaleAfterSink<T>(IObserver<T> observer, TimeSpan after, IScheduler scheduler) : IObserver<T>, IDisposable
    {
        private readonly object _gate = new();
        private readonly SerialDisposable _timer = new();
        private readonly SingleAssignmentDisposable _upstream = new();
        private DateTimeOffset _silentSince;
        private bool _hasElement;
        private bool _confirming;
        private bool _done;

        public StaleAfterSink<T> Run(IObservable<T> source)
        {
            lock (_gate)
            {
                _silentSince = scheduler.Now;
                Arm(after);
            }

            _upstream.Disposable = source.Subscribe(this);
            return this;
        }

        public void OnNext(T value)
        {
            lock (_gate)
            {
                if (_done)
                {
                    return;
                }

                _silentSince = scheduler.Now;
                _hasElement = true;
                observer.OnNext(value);
            }
        }

        public void OnError(Exception error) => Finish(o => o.OnError(error));

        public void OnCompleted() => Finish(o => o.OnCompleted());

        public void Dispose()
        {
            lock (_gate)
            {
                _done = true;
            }

            _timer.Dispose();
            _upstream.Dispose();
        }

        private void Finish(Action<IObserver<T>> signal)
        {
            lock (_gate)
            {
                if (_done)
                {
                    return;
                }

                _done = true;
                signal(observer);
            }

            Dispose();
        }

        private void Arm(TimeSpan dueIn) => _timer.Disposable = scheduler.Schedule(dueIn, Check);

        private void Check()
        {
            lock (_gate)
            {
                if (_done)
                {
                    return;
                }

                TimeSpan left = _silentSince + after - scheduler.Now;
                if (left > TimeSpan.Zero)
                {
                    _confirming = false;
                    Arm(left);
                    return;
                }

                if (!_confirming)
                {
                    // Due now: look once more after the work already queued for this instant, so that an element
                    // arriving exactly at the bound wins regardless of which was scheduled first.
                    _confirming = true;
                    Arm(TimeSpan.Zero);
                    return;
                }

                _done = true;
                observer.OnError(new StaleFeedException(after, _silentSince, _hasElement ? _silentSince : null));
            }

            _upstream.Dispose();
        }
    }
}
