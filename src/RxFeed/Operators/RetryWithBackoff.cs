using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using RxFeed.Resilience;

namespace RxFeed;

/// <summary>The feed's operators: each an extension method on <see cref="IObservable{T}"/>, one file per operator.</summary>
public static partial class FeedObservable
{
    /// <summary>
    /// On error, resubscribes to the source after the policy's delay (exponential, capped, full jitter); the attempt count
    /// starts again once a subscription has lasted <see cref="BackoffPolicy.ResetAfter"/>. After
    /// <see cref="BackoffPolicy.MaxAttempts"/> consecutive retries (0: never) or for an error the policy does not retry,
    /// the error passes through. Completion passes through.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="source">The source; subscribed once per attempt, so it should be cold (one connection per subscription).</param>
    /// <param name="policy">The backoff policy; validated here.</param>
    /// <param name="scheduler">The clock and timers; default <see cref="DefaultScheduler.Instance"/>.</param>
    /// <returns>The source, resubscribed on error.</returns>
    public static IObservable<T> RetryWithBackoff<T>(this IObservable<T> source, BackoffPolicy policy, IScheduler? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        return RetryWithBackoffCore(source, policy, null, scheduler ?? DefaultScheduler.Instance);
    }

    /// <summary>
    /// As <see cref="RetryWithBackoff{T}(IObservable{T}, BackoffPolicy, IScheduler?)"/>, and reports every scheduled retry to
    /// <paramref name="retries"/> (when the error arrives, before the delay).
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="source">The source.</param>
    /// <param name="policy">The backoff policy; validated here.</param>
    /// <param name="retries">Receives a <see cref="RetryAttempt"/> per retry; never completed or errored by this operator.</param>
    /// <param name="scheduler">The clock and timers; default <see cref="DefaultScheduler.Instance"/>.</param>
    /// <returns>The source, resubscribed on error.</returns>
    public static IObservable<T> RetryWithBackoff<T>(this IObservable<T> source, BackoffPolicy policy, IObserver<RetryAttempt> retries, IScheduler? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(retries);
        policy.Validate();
        return RetryWithBackoffCore(source, policy, retries, scheduler ?? DefaultScheduler.Instance);
    }

    private static IObservable<T> RetryWithBackoffCore<T>(IObservable<T> source, BackoffPolicy policy, IObserver<RetryAttempt>? retries, IScheduler scheduler) =>
        Observable.Create<T>(observer => new RetryWithBackoffSink<T>(source, observer, policy, retries, scheduler).Run());

    private sealed class RetryWithBackoffSink<T>(IObservable<T> source, IObserver<T> observer, BackoffPolicy policy, IObserver<RetryAttempt>? retries, IScheduler scheduler)
        : IObserver<T>, IDisposable
    {
        // Holds the live subscription, or the pending retry timer between subscriptions.
        private readonly SerialDisposable _current = new();
        private int _attempt;
        private DateTimeOffset _subscribedAt;

        public RetryWithBackoffSink<T> Run()
        {
            Subscribe();
            return this;
        }

        public void Dispose() => _current.Dispose();

        public void OnNext(T value) => observer.OnNext(value);

        public void OnCompleted() => observer.OnCompleted();

        public void OnError(Exception error)
        {
            bool retry;
            try
            {
                retry = policy.ShouldRetry?.Invoke(error) ?? true;
            }
            catch (Exception predicateError)
            {
                observer.OnError(new InvalidOperationException("BackoffPolicy.ShouldRetry threw.", new AggregateException(error, predicateError)));
                return;
            }

            if (!retry)
            {
                observer.OnError(error);
                return;
            }

            DateTimeOffset now = scheduler.Now;
            TimeSpan uptime = now - _subscribedAt;
            if (uptime >= policy.ResetAfter)
            {
                _attempt = 0;
            }

            _attempt++;
            if (policy.MaxAttempts > 0 && _attempt > policy.MaxAttempts)
            {
                observer.OnError(error);
                return;
            }

            double jitter;
            try
            {
                jitter = policy.Jitter?.Invoke() ?? Random.Shared.NextDouble();
            }
            catch (Exception jitterError)
            {
                observer.OnError(new InvalidOperationException("BackoffPolicy.Jitter threw.", jitterError));
                return;
            }

            if (double.IsNaN(jitter) || jitter < 0 || jitter > 1)
            {
                observer.OnError(new InvalidOperationException($"BackoffPolicy.Jitter returned {jitter}; it must return a factor in [0, 1].", error));
                return;
            }

            TimeSpan delay = policy.DelayFor(_attempt, jitter);
            retries?.OnNext(new RetryAttempt(_attempt, delay, error, now, uptime));
            _current.Disposable = scheduler.Schedule(delay, Subscribe);
        }

        private void Subscribe()
        {
            if (_current.IsDisposed)
            {
                return;
            }

            _subscribedAt = scheduler.Now;
            var subscription = new SingleAssignmentDisposable();
            _current.Disposable = subscription;
            subscription.Disposable = source.Subscribe(this);
        }
    }
}
