using System.Runtime.InteropServices;

namespace RxFeed.Parsing;

/// <summary>Per symbol, the last delivered update id: the state of <c>DropOutOfOrder</c>, one instance per subscription.</summary>
public sealed class OutOfOrderGate
{
    private readonly Dictionary<string, long> _last = new(StringComparer.Ordinal);

    /// <summary>Reclassifies a book ticker whose <c>u</c> is not above its symbol's last delivered one; other frames pass.</summary>
    /// <param name="frame">The frame.</param>
    /// <returns>The frame, or its <see cref="FrameClass.OutOfOrder"/> reclassification.</returns>
    public FeedFrame Apply(in FeedFrame frame)
    {
        if (frame.Class != FrameClass.BookTicker)
        {
            return frame;
        }

        ref long lastId = ref CollectionsMarshal.GetValueRefOrAddDefault(_last, frame.Ticker.Symbol, out bool existed);
        if (existed && frame.Ticker.UpdateId <= lastId)
        {
            return frame with { Class = FrameClass.OutOfOrder };
        }

        lastId = frame.Ticker.UpdateId;
        return frame;
    }
}
