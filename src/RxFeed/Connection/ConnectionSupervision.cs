using System.Reactive.Concurrency;
using System.Reactive.Linq;

namespace RxFeed.Connection;

/// <summary>
/// Liveness and recovery around one shard: a watchdog errors when the connection is silent for <c>StaleAfter</c>
/// (a half-open socket sends nothing, not even an error), and failed attempts are replaced after an exponential,
/// capped, fully jittered delay that starts over once a connection has been healthy for <c>HealthyAfter</c>.
/// </summary>
internal static class ConnectionSupervision
{
    public static IObservable<string> Supervise(
        IObservable<string> attempt, FeedConnectionOptions options, Action<Exception> onLost, IScheduler scheduler)
    {
        var state = new BackoffState(options);
        return Observable.Defer(() =>
            {
                TimeSpan delay = state.NextDelay(scheduler.Now);
                IObservable<string> watched = attempt.Timeout(
                    options.StaleAfter, Observable.Throw<string>(new TimeoutException($"no frame for {options.StaleAfter}")), scheduler);
                return delay == TimeSpan.Zero ? watched : Observable.Timer(delay, scheduler).SelectMany(_ => watched);
            })
            .Do(_ => { }, error =>
            {
                state.Failed(scheduler.Now);
                onLost(error);
            })
            .Retry();
    }

    /// <summary>Delay n (1-based) is uniform in [0, min(max, initial * 2^(n-1))]; n resets after a healthy period.</summary>
    private sealed class BackoffState(FeedConnectionOptions options)
    {
        private readonly object _gate = new();
        private int _failures;
        private DateTimeOffset _startedAt;

        public TimeSpan NextDelay(DateTimeOffset now)
        {
            lock (_gate)
            {
                TimeSpan delay = _failures == 0 ? TimeSpan.Zero : Jitter(Cap(_failures));
                _startedAt = now + delay;
                return delay;
            }
        }

        public void Failed(DateTimeOffset now)
        {
            lock (_gate)
            {
                _failures = now - _startedAt >= options.HealthyAfter ? 1 : _failures + 1;
            }
        }

        private static TimeSpan Jitter(TimeSpan cap) => TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * cap.Ticks));

        private TimeSpan Cap(int failures)
        {
            double ticks = options.ReconnectInitial.Ticks * Math.Pow(2, Math.Min(failures - 1, 30));
            return TimeSpan.FromTicks((long)Math.Min(ticks, options.ReconnectMax.Ticks));
        }
    }
}
