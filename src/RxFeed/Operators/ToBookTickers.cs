using System.Reactive.Concurrency;
using RxFeed.Diagnostics;
using RxFeed.Parsing;

namespace RxFeed;

/// <summary>RxFeed's operators.</summary>
public static partial class FeedObservable
{
    /// <summary>
    /// The whole first half of the pipeline as one query: parse, validate, flag inverted spreads, drop out-of-order
    /// update ids, count every frame, and deliver the book tickers.
    /// </summary>
    /// <param name="frames">WebSocket text frames.</param>
    /// <param name="counters">Where every frame is counted by class.</param>
    /// <param name="maxFrameBytes">The frame cap.</param>
    /// <param name="scheduler">The clock for receive times.</param>
    /// <returns>Delivered book tickers.</returns>
    public static IObservable<BookTicker> ToBookTickers(this IObservable<string> frames, FeedCounters counters, int maxFrameBytes = FrameParser.DefaultMaxFrameBytes, IScheduler? scheduler = null) =>
        frames
            .ParseFrames(maxFrameBytes, scheduler)
            .ValidateBookTickers()
            .FlagInvertedSpreads()
            .DropOutOfOrder()
            .Tally(counters)
            .DeliveredTickers();
}
