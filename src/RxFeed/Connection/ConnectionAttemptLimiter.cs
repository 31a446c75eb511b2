using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Linq;

namespace RxFeed.Connection;

/// <summary>
/// Connection attempts per IP: at most <c>limit</c> per <c>window</c> of scheduler time (Binance: 300 per 5 minutes).
/// Share one instance between every connection of a process.
/// </summary>
public sealed class ConnectionAttemptLimiter
{
    private readonly object _gate = new();
    private readonly SlidingWindow _window;
    private long _waits;

    /// <summary>Initializes a new instance of the <see cref="ConnectionAttemptLimiter"/> class.</summary>
    /// <param name="limit">Attempts allowed per window.</param>
    /// <param name="window">The window.</param>
    public ConnectionAttemptLimiter(int limit, TimeSpan window) => _window = new SlidingWindow(limit, window);

    /// <summary>Gets the number of attempts that had to wait for a slot.</summary>
    public long Waits => Interlocked.Read(ref _waits);

    /// <summary>Waits for an attempt slot and takes it.</summary>
    /// <param name="scheduler">The clock.</param>
    /// <returns>An observable that yields once, when the attempt may start.</returns>
    public IObservable<Unit> Acquire(IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        return Observable.Defer(() =>
        {
            TimeSpan wait;
            lock (_gate)
            {
                wait = _window.TryTake(scheduler.Now);
            }

            if (wait == TimeSpan.Zero)
            {
                return Observable.Return(Unit.Default, ImmediateScheduler.Instance);
            }

            Interlocked.Increment(ref _waits);
            return Observable.Timer(wait, scheduler).SelectMany(_ => Acquire(scheduler));
        });
    }
}
