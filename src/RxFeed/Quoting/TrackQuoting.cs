using System.Reactive.Concurrency;
using System.Reactive.Linq;
using RxFeed.Connection;

namespace RxFeed.Quoting;

/// <summary>The quote engine as Rx operators over delivered book tickers.</summary>
public static class QuoteObservable
{
    /// <summary>
    /// Runs health tracking and the quote engine of <c>host-cli.md</c> as one per-symbol state machine, so a health change
    /// and the quote it causes come out in one deterministic order: at one instant, a due staleness or <c>min_requote</c>
    /// deadline runs before the tick of that instant, and Stale before an interval end.
    /// </summary>
    /// <param name="ticks">Delivered book tickers (inverted ones flagged), each stamped with its receive time.</param>
    /// <param name="options">The quote settings.</param>
    /// <param name="staleAfter">A symbol with no delivered tick for this long is Stale.</param>
    /// <param name="links">Connection state changes, if any.</param>
    /// <param name="scheduler">Runs the deadlines (a <see cref="Time.ReplayScheduler"/> in replays).</param>
    /// <returns>Health changes and quote updates in time order.</returns>
    public static IObservable<QuotingEvent> TrackQuoting(
        this IObservable<BookTicker> ticks,
        QuoteOptions options,
        TimeSpan staleAfter,
        IObservable<LinkEvent>? links = null,
        IScheduler? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(ticks);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(staleAfter, TimeSpan.Zero);
        return new QuotingProducer(ticks, links, options, staleAfter, scheduler ?? Scheduler.Default).Events();
    }

    /// <summary>The quote updates of <see cref="TrackQuoting"/>: quotes, and a cancel on each exit from Live.</summary>
    /// <param name="ticks">Delivered book tickers (inverted ones flagged), each stamped with its receive time.</param>
    /// <param name="options">The quote settings.</param>
    /// <param name="staleAfter">A symbol with no delivered tick for this long is Stale.</param>
    /// <param name="links">Connection state changes, if any.</param>
    /// <param name="scheduler">Runs the deadlines.</param>
    /// <returns>The quote updates.</returns>
    public static IObservable<QuoteUpdate> Quote(
        this IObservable<BookTicker> ticks,
        QuoteOptions options,
        TimeSpan staleAfter,
        IObservable<LinkEvent>? links = null,
        IScheduler? scheduler = null) =>
        ticks.TrackQuoting(options, staleAfter, links, scheduler)
            .Where(static e => e.Kind == QuotingEventKind.Quote)
            .Select(static e => e.Quote);
}
