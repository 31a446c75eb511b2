using System.Reactive.Concurrency;
using System.Reactive.Linq;
using RxFeed.Diagnostics;
using RxFeed.Parsing;
using RxFeed.Resilience;
using RxFeed.Testing;

namespace RxFeed.Marbles.Tests;

/// <summary>The operators .marble files can name; arguments bind by name, the runner supplies the scheduler.</summary>
internal static class MarbleOperators
{
    [MarbleOperator("StaleAfter")]
    public static IObservable<BookTicker> StaleAfter(IObservable<BookTicker> @in, TimeSpan after, IScheduler scheduler) =>
        @in.StaleAfter(after, scheduler);

    /// <summary>Jitter is a list of factors used in turn (the last repeats), so a file fixes every delay.</summary>
    [MarbleOperator("RetryWithBackoff")]
    public static IObservable<BookTicker> RetryWithBackoff(
        IObservable<BookTicker> @in,
        IScheduler scheduler,
        TimeSpan initial,
        TimeSpan max,
        double multiplier = 2,
        TimeSpan? resetAfter = null,
        int maxAttempts = 0,
        double[]? jitter = null,
        string? retryOnly = null)
    {
        var factors = jitter ?? [1.0];
        int next = 0;
        var policy = new BackoffPolicy
        {
            InitialDelay = initial,
            MaxDelay = max,
            Multiplier = multiplier,
            ResetAfter = resetAfter ?? TimeSpan.FromSeconds(60),
            MaxAttempts = maxAttempts,
            Jitter = () => factors[Math.Min(next++, factors.Length - 1)],
            ShouldRetry = retryOnly is null ? null : e => e.GetType().Name == retryOnly,
        };
        return @in.RetryWithBackoff(policy, scheduler);
    }

    [MarbleOperator("ParseFrames")]
    public static IObservable<FeedFrame> ParseFrames(IObservable<string> @in, IScheduler scheduler, int maxFrameBytes = 1 << 20) =>
        @in.ParseFrames(maxFrameBytes, scheduler);

    [MarbleOperator("ValidateBookTickers")]
    public static IObservable<FeedFrame> ValidateBookTickers(IObservable<FeedFrame> @in) => @in.ValidateBookTickers();

    [MarbleOperator("FlagInvertedSpreads")]
    public static IObservable<FeedFrame> FlagInvertedSpreads(IObservable<FeedFrame> @in) => @in.FlagInvertedSpreads();

    [MarbleOperator("DropOutOfOrder")]
    public static IObservable<FeedFrame> DropOutOfOrder(IObservable<FeedFrame> @in) => @in.DropOutOfOrder();

    [MarbleOperator("ToBookTickers")]
    public static IObservable<BookTicker> ToBookTickers(IObservable<string> @in, IScheduler scheduler, int maxFrameBytes = 1 << 20) =>
        @in.ToBookTickers(new FeedCounters(), maxFrameBytes, scheduler);

    /// <summary>The order filter behind a reconnecting source: its per-symbol state spans connections.</summary>
    [MarbleOperator("DropOutOfOrderAcrossReconnects")]
    public static IObservable<FeedFrame> DropOutOfOrderAcrossReconnects(IObservable<FeedFrame> @in, IScheduler scheduler, TimeSpan initial) =>
        @in.RetryWithBackoff(new BackoffPolicy { InitialDelay = initial, Jitter = () => 1.0 }, scheduler).DropOutOfOrder();

    [MarbleOperator("DeliveredTickers")]
    public static IObservable<BookTicker> DeliveredTickers(IObservable<FeedFrame> @in) => @in.DeliveredTickers();

    /// <summary>Staleness under reconnection, as the connection layer composes them: a stale feed is retried like a dropped one.</summary>
    [MarbleOperator("StaleAfterWithRetry")]
    public static IObservable<BookTicker> StaleAfterWithRetry(IObservable<BookTicker> @in, IScheduler scheduler, TimeSpan after, TimeSpan initial) =>
        @in.StaleAfter(after, scheduler).RetryWithBackoff(new BackoffPolicy { InitialDelay = initial, Jitter = () => 1.0 }, scheduler);

    /// <summary>Conflation by symbol in front of a consumer that returns at once (the recorder).</summary>
    [MarbleOperator("Conflate")]
    public static IObservable<BookTicker> Conflate(IObservable<BookTicker> @in, IScheduler scheduler) =>
        @in.Conflate(t => t.Symbol, scheduler);

    /// <summary>
    /// Conflation by symbol in front of a consumer that works <paramref name="busy"/> of virtual time on each value: a
    /// value is recorded when it is handed over, then the consumer stays inside <c>OnNext</c> while the source goes on
    /// (<see cref="MarbleScheduler.RunWhileBusy"/>), as a producer on another thread would: what arrives meanwhile
    /// waits in Conflate and may be replaced.
    /// </summary>
    [MarbleOperator("ConflateBusyConsumer")]
    public static IObservable<BookTicker> ConflateBusyConsumer(IObservable<BookTicker> @in, MarbleScheduler scheduler, TimeSpan busy) =>
        Observable.Create<BookTicker>(observer => @in.Conflate(t => t.Symbol, scheduler).Subscribe(
            t =>
            {
                observer.OnNext(t);
                scheduler.RunWhileBusy(busy);
            },
            observer.OnError,
            observer.OnCompleted));
}
