using System.Reactive.Concurrency;
using RxFeed.Connection;
using RxFeed.Quoting;

namespace RxFeed.Health;

/// <summary>Per-symbol health tracking over delivered book tickers.</summary>
public static class HealthObservable
{
    /// <summary>
    /// Tracks each symbol's <see cref="FeedState"/> and emits every change: <see cref="FeedState.Live"/> on a fresh uncrossed
    /// tick, <see cref="FeedState.Crossed"/> at once on an inverted one, <see cref="FeedState.Stale"/> exactly
    /// <paramref name="staleAfter"/> after the last delivered tick (inverted ones count), <see cref="FeedState.Recovering"/> when
    /// the symbol's link disconnects and <see cref="FeedState.Connecting"/> while a never-seen symbol's link first connects.
    /// </summary>
    /// <param name="ticks">Delivered book tickers (inverted ones flagged).</param>
    /// <param name="staleAfter">The staleness bound.</param>
    /// <param name="links">Connection state changes, if any.</param>
    /// <param name="scheduler">Runs the staleness timers (a <see cref="Time.ReplayScheduler"/> in replays).</param>
    /// <returns>The changes, in time order; timestamps are computed from tick times, never read from a clock.</returns>
    public static IObservable<HealthChange> TrackHealth(
        this IObservable<BookTicker> ticks,
        TimeSpan staleAfter,
        IObservable<LinkEvent>? links = null,
        IScheduler? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(ticks);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(staleAfter, TimeSpan.Zero);
        return new QuotingProducer(ticks, links, null, staleAfter, scheduler ?? Scheduler.Default).Health();
    }
}
