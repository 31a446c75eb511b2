using System.Reactive.Linq;
using RxFeed.Diagnostics;
using RxFeed.Parsing;

namespace RxFeed;

/// <summary>RxFeed's operators.</summary>
public static partial class FeedObservable
{
    /// <summary>Counts every frame by class into <paramref name="counters"/> and passes it on unchanged.</summary>
    /// <param name="source">Frames, after every classifying operator.</param>
    /// <param name="counters">Where to count.</param>
    /// <returns>The same frames.</returns>
    public static IObservable<FeedFrame> Tally(this IObservable<FeedFrame> source, FeedCounters counters)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(counters);
        return source.Do(frame => counters.Record(frame));
    }
}
