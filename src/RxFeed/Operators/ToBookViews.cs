using System.Reactive.Concurrency;
using System.Reactive.Linq;
using RxFeed.Book;
using RxFeed.Parsing;
using RxFeed.Time;

namespace RxFeed;

/// <summary>RxFeed's operators.</summary>
public static partial class FeedObservable
{
    /// <summary>
    /// Order books from a stream of frames that carries its own snapshot lines (a recording, or a source that interleaves
    /// REST snapshots): one view after every applied depth event, and one, unsynced and empty, at once when a gap is
    /// found. Not conflated: a slow consumer sees every view.
    /// </summary>
    /// <param name="frames">WebSocket text frames and snapshot lines.</param>
    /// <param name="levels">Levels per side in each view.</param>
    /// <param name="rule">Spot or futures continuity.</param>
    /// <param name="scheduler">The clock for receive times (default: <see cref="Scheduler.Default"/>).</param>
    /// <returns>The views, per symbol in update order.</returns>
    public static IObservable<BookView> ToBookViews(this IObservable<string> frames, int levels = 5, DepthSyncRule rule = DepthSyncRule.Spot, IScheduler? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentOutOfRangeException.ThrowIfNegative(levels);
        IScheduler clock = scheduler ?? Scheduler.Default;
        return Observable.Create<BookView>(observer =>
        {
            var parser = new MarketFrameParser();
            var books = new MarketDataBooks(
                rule,
                applied: (book, ns) => observer.OnNext(book.View(levels, ns)),
                unsynced: (book, ns) => observer.OnNext(book.View(levels, ns)));
            return frames.Subscribe(
                frame =>
                {
                    long ns = clock.NowUnixNanoseconds();
                    books.OnFrame(parser.Parse(frame, ns), parser, ns);
                },
                observer.OnError,
                () =>
                {
                    books.Complete();
                    observer.OnCompleted();
                });
        });
    }

    /// <summary>Trades from a stream of frames, trade id strictly rising per symbol: duplicates across reconnects are dropped.</summary>
    /// <param name="frames">WebSocket text frames.</param>
    /// <param name="scheduler">The clock for receive times (default: <see cref="Scheduler.Default"/>).</param>
    /// <returns>The trades.</returns>
    public static IObservable<Trade> ToTrades(this IObservable<string> frames, IScheduler? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        IScheduler clock = scheduler ?? Scheduler.Default;
        return Observable.Create<Trade>(observer =>
        {
            var parser = new MarketFrameParser();
            var books = new MarketDataBooks(trade: observer.OnNext);
            return frames.Subscribe(
                frame =>
                {
                    // Only trades go on: depth events would build books nobody reads.
                    long ns = clock.NowUnixNanoseconds();
                    MarketFrame read = parser.Parse(frame, ns);
                    if (read.Kind == MarketFrameKind.Trade)
                    {
                        books.OnFrame(read, parser, ns);
                    }
                },
                observer.OnError,
                observer.OnCompleted);
        });
    }
}
