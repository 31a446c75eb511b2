using System.Reactive.Linq;
using RxFeed.Parsing;

namespace RxFeed;

/// <summary>RxFeed's operators.</summary>
public static partial class FeedObservable
{
    /// <summary>
    /// Per symbol, keeps <c>u</c> strictly rising: a book ticker whose update id is not above the last delivered one
    /// of its symbol (a duplicate across a reconnect or rollover, or an older frame) is reclassified
    /// <see cref="FrameClass.OutOfOrder"/>, so it is counted and not delivered. State is per subscription.
    /// </summary>
    /// <param name="source">Frames.</param>
    /// <returns>The same frames, stale update ids reclassified.</returns>
    public static IObservable<FeedFrame> DropOutOfOrder(this IObservable<FeedFrame> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Observable.Defer(() =>
        {
            var gate = new OutOfOrderGate();
            return source.Select(frame => gate.Apply(frame));
        });
    }
}
