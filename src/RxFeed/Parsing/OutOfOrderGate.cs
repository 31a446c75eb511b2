using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RxFeed.Parsing;

/// <summary>Per symbol, the last delivered update id: the state of <c>DropOutOfOrder</c>, one instance per subscription.</summary>
public sealed class OutOfOrderGate
{
    private readonly Dictionary<string, StrongBox<long>> _last = new(StringComparer.Ordinal);
    private string? _lastSymbol;
    private StrongBox<long>? _lastId;

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
        // The parser hands out one string per symbol and most frames repeat the previous one: a reference compare saves the hash.
        StrongBox<long>? lastId = _lastId;
        if (!ReferenceEquals(symbol, _lastSymbol) || lastId is null)
        {
            ref StrongBox<long>? slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_last, symbol, out bool existed);
            if (!existed)
            {
                slot = new StrongBox<long>(updateId);
                (_lastSymbol, _lastId) = (symbol, slot);
                return true;
            }

            lastId = slot!;
            (_lastSymbol, _lastId) = (symbol, lastId);
        }

        if (updateId <= lastId.Value)
        {
            return false;
        }

        lastId.Value = updateId;
        return true;
    }
}
