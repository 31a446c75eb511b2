using System.Reactive.Linq;
using RxFeed.Parsing;

namespace RxFeed;

/// <summary>RxFeed's operators.</summary>
public static partial class FeedObservable
{
    /// <summary>Keeps the book tickers that are delivered (<see cref="FrameClass.BookTicker"/>, inverted ones included).</summary>
    /// <param name="source">Frames; count them first (<c>Tally</c>) so that nothing dropped here goes uncounted.</param>
    /// <returns>The delivered book tickers.</returns>
    public static IObservable<BookTicker> DeliveredTickers(this IObservable<FeedFrame> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Where(frame => frame.Class == FrameClass.BookTicker).Select(frame => frame.Ticker);
    }
}
