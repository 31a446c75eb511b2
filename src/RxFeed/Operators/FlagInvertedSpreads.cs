using System.Reactive.Linq;
using RxFeed.Parsing;

namespace RxFeed;

/// <summary>RxFeed's operators.</summary>
public static partial class FeedObservable
{
    /// <summary>
    /// Marks book tickers whose bid is at or above the ask (<see cref="BookTicker.IsInverted"/>). They stay in the
    /// stream and are counted; quoting treats them as untradeable.
    /// </summary>
    /// <param name="source">Validated frames.</param>
    /// <returns>The same frames, inverted book tickers flagged.</returns>
    public static IObservable<FeedFrame> FlagInvertedSpreads(this IObservable<FeedFrame> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Select(frame => BookTickerRules.FlagInverted(frame));
    }
}
