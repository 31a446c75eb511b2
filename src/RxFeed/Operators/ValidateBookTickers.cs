using System.Reactive.Linq;
using RxFeed.Parsing;

namespace RxFeed;

/// <summary>RxFeed's operators.</summary>
public static partial class FeedObservable
{
    /// <summary>
    /// Reclassifies book tickers that break a range rule (<c>u</c> from 1, non-empty symbol, prices &gt; 0, sizes &gt;= 0)
    /// as <see cref="FrameClass.Invalid"/> with the reason and field; every other frame passes unchanged.
    /// </summary>
    /// <param name="source">Parsed frames.</param>
    /// <returns>The same frames, invalid ones reclassified.</returns>
    public static IObservable<FeedFrame> ValidateBookTickers(this IObservable<FeedFrame> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Select(frame => BookTickerRules.Validate(frame));
    }
}
