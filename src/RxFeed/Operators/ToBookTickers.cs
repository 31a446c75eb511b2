using System.Reactive.Concurrency;
using System.Reactive.Linq;
using RxFeed.Connection;
using RxFeed.Diagnostics;
using RxFeed.Parsing;

namespace RxFeed;

/// <summary>RxFeed's operators.</summary>
public static partial class FeedObservable
{
    /// <summary>
    /// The whole first half of the pipeline as one operator: it does exactly what
    /// <c>ParseFrames().ValidateBookTickers().FlagInvertedSpreads().DropOutOfOrder().Tally(counters).DeliveredTickers()</c>
    /// does, with the same parts, in one Rx hop instead of seven (each hop copies every frame; the replay runs millions).
    /// </summary>
    /// <param name="frames">WebSocket text frames.</param>
    /// <param name="counters">Where every frame is counted by class.</param>
    /// <param name="maxFrameBytes">The frame cap.</param>
    /// <param name="scheduler">The clock for receive times (default: <see cref="Scheduler.Default"/>).</param>
    /// <returns>Delivered book tickers.</returns>
    public static IObservable<BookTicker> ToBookTickers(this IObservable<string> frames, FeedCounters counters, int maxFrameBytes = FrameParser.DefaultMaxFrameBytes, IScheduler? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrameBytes, 1);
        return Observable.Create<BookTicker>(observer =>
        {
            var pipeline = new BookTickerPipeline(observer, counters, maxFrameBytes, scheduler);
            return frames.Subscribe(pipeline.OnFrame, observer.OnError, observer.OnCompleted);
        });
    }

    /// <summary>
    /// <see cref="ToBookTickers(IObservable{string}, FeedCounters, int, IScheduler?)"/> over frames already stamped where they
    /// were received: the live path parses on its pipeline thread, after the hand-off, with the socket's receive times.
    /// </summary>
    /// <param name="frames">Stamped frames.</param>
    /// <param name="counters">Where every frame is counted by class.</param>
    /// <param name="maxFrameBytes">The frame cap.</param>
    /// <returns>Delivered book tickers.</returns>
    public static IObservable<BookTicker> ToBookTickers(this IObservable<ReceivedFrame> frames, FeedCounters counters, int maxFrameBytes = FrameParser.DefaultMaxFrameBytes)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrameBytes, 1);
        return Observable.Create<BookTicker>(observer =>
        {
            var pipeline = new BookTickerPipeline(observer, counters, maxFrameBytes);
            return frames.Subscribe(f => pipeline.OnFrame(f.Text, f.ReceivedNs), observer.OnError, observer.OnCompleted);
        });
    }
}
