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

    /// <summary>
    /// The quote engine driven by an external health stream (for instance a connection's own health tracker): ticks are
    /// quoted only while their symbol's latest change says <see cref="Health.FeedState.Live"/>, and each exit from Live pulls
    /// quoting. The changes must come from the same ticks; a tick that arrives just before the Live it caused is quoted when
    /// that Live arrives. Prefer <see cref="TrackQuoting"/> when health is derived here: it orders same-instant events itself.
    /// </summary>
    /// <param name="ticks">Delivered book tickers (inverted ones flagged), each stamped with its receive time.</param>
    /// <param name="health">Per-symbol health changes.</param>
    /// <param name="options">The quote settings.</param>
    /// <param name="scheduler">Runs the <c>min_requote</c> deadlines.</param>
    /// <returns>The quote updates.</returns>
    public static IObservable<QuoteUpdate> Quote(
        this IObservable<BookTicker> ticks,
        IObservable<Health.HealthChange> health,
        QuoteOptions options,
        IScheduler? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(ticks);
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(options);
        return new QuotingProducer(ticks, null, options, TimeSpan.MaxValue, scheduler ?? Scheduler.Default) { HealthInput = health }
            .Events()
            .Where(static e => e.Kind == QuotingEventKind.Quote)
            .Select(static e => e.Quote);
    }
}
