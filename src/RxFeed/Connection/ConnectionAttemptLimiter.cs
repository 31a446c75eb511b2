using System.Collections.Concurrent;
using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Runtime.CompilerServices;

namespace RxFeed.Connection;

/// <summary>
/// Connection attempts per IP: at most <c>limit</c> per <c>window</c> of scheduler time (Binance: 300 per 5 minutes).
/// <see cref="ForServer"/> gives every client and shard of a process the same instance for a server.
/// </summary>
public sealed class ConnectionAttemptLimiter
{
    // Per clock: a test's virtual scheduler must not share a sliding window with the real clock (or with another test).
    private static readonly ConditionalWeakTable<IScheduler, ConcurrentDictionary<string, ConnectionAttemptLimiter>> Shared = [];
    private readonly object _gate = new();
    private readonly SlidingWindow _window;
    private long _waits;

    /// <summary>Initializes a new instance of the <see cref="ConnectionAttemptLimiter"/> class.</summary>
    /// <param name="limit">Attempts allowed per window.</param>
    /// <param name="window">The window.</param>
    public ConnectionAttemptLimiter(int limit, TimeSpan window) => _window = new SlidingWindow(limit, window);

    /// <summary>Gets the number of attempts that had to wait for a slot.</summary>
    public long Waits => Interlocked.Read(ref _waits);

    /// <summary>
    /// The process's one limiter for a server (<c>host:port</c>: Binance counts attempts per IP at each server, and each
    /// local exchange is a server of its own), created with the first caller's limit and window.
    /// </summary>
    /// <param name="endpoint">The server's URL.</param>
    /// <param name="limit">Attempts allowed per window.</param>
    /// <param name="window">The window.</param>
    /// <param name="scheduler">The clock the limiter's window runs on.</param>
    /// <returns>The shared limiter.</returns>
    public static ConnectionAttemptLimiter ForServer(Uri endpoint, int limit, TimeSpan window, IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(scheduler);
        ConcurrentDictionary<string, ConnectionAttemptLimiter> servers = Shared.GetValue(scheduler, _ => new(StringComparer.OrdinalIgnoreCase));
        return servers.GetOrAdd(endpoint.Authority, static (_, a) => new ConnectionAttemptLimiter(a.limit, a.window), (limit, window));
    }

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
