using System.Reactive.Concurrency;
using System.Reactive.Linq;
using RxFeed.Connection;
using RxFeed.Time;

namespace RxFeed;

/// <summary>RxFeed's operators.</summary>
public static partial class FeedObservable
{
    /// <summary>
    /// Stamps each frame with the scheduler's clock where it arrives, so the receive time is the socket's, not the moment a
    /// later thread gets to it. Stamps never decrease: frames of several connections merge in one order, and a frame that
    /// lost a race for the merge by a few microseconds takes its predecessor's stamp, so every output's <c>ts</c> rises.
    /// </summary>
    /// <param name="frames">Raw text frames, serialized (as <see cref="FeedConnection.Frames"/> are).</param>
    /// <param name="scheduler">The receive clock.</param>
    /// <returns>The frames with their receive times.</returns>
    public static IObservable<ReceivedFrame> StampReceived(this IObservable<string> frames, IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(scheduler);
        return Observable.Create<ReceivedFrame>(observer =>
        {
            long last = long.MinValue;
            return frames.Subscribe(
                text =>
                {
                    last = Math.Max(last, scheduler.NowUnixNanoseconds());
                    observer.OnNext(new ReceivedFrame(text, last));
                },
                observer.OnError,
                observer.OnCompleted);
        });
    }
}
