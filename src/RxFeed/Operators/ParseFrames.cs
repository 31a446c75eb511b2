using System.Reactive.Concurrency;
using System.Reactive.Linq;
using RxFeed.Parsing;
using RxFeed.Time;

namespace RxFeed;

/// <summary>RxFeed's operators: one file per operator, each an extension method on <see cref="IObservable{T}"/>.</summary>
public static partial class FeedObservable
{
    /// <summary>
    /// Parses each frame into its typed <see cref="FeedFrame"/> (book ticker, control, other, malformed, invalid),
    /// stamped with the scheduler's clock as its receive time. Never errors on bad input; errors and completion of the
    /// source pass through. Each subscription gets its own parser (and symbol cache).
    /// </summary>
    /// <param name="source">WebSocket text frames.</param>
    /// <param name="maxFrameBytes">Frames longer than this are malformed (<see cref="FrameFault.TooLarge"/>) and never parsed.</param>
    /// <param name="scheduler">The clock for receive times (default: <see cref="Scheduler.Default"/>).</param>
    /// <returns>One typed frame per input frame.</returns>
    public static IObservable<FeedFrame> ParseFrames(this IObservable<string> source, int maxFrameBytes = FrameParser.DefaultMaxFrameBytes, IScheduler? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrameBytes, 1);
        IScheduler clock = scheduler ?? Scheduler.Default;
        return Observable.Defer(() =>
        {
            var parser = new FrameParser(maxFrameBytes);
            return source.Select(frame => parser.Parse(frame, clock.NowUnixNanoseconds()));
        });
    }
}
