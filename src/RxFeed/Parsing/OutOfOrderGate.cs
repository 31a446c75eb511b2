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

        return Admit(frame.Ticker.Symbol, frame.Ticker.UpdateId) ? frame : frame with { Class = FrameClass.OutOfOrder };
    }

    /// <summary>Admits an update id if it is above its symbol's last admitted one, and remembers it.</summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="updateId">The update id.</param>
    /// <returns>False for a duplicate or older update id.</returns>
    public bool Admit(string symbol, long updateId)
    {
        ref long lastId = ref CollectionsMarshal.GetValueRefOrAddDefault(_last, symbol, out bool existed);
        if (existed && updateId <= lastId)
        {
            return false;
        }

        lastId = updateId;
        return true;
    }
}
