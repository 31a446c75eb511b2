using System.Runtime.CompilerServices;

namespace RxFeed.Parsing;

/// <summary>The semantic rules of a book ticker, applied after parsing: ranges of <c>u</c>, prices and sizes, and inversion.</summary>
public static class BookTickerRules
{
    /// <summary>Reclassifies a book ticker that breaks a range rule as <see cref="FrameClass.Invalid"/>; other frames pass unchanged.</summary>
    /// <param name="frame">The frame.</param>
    /// <returns>The frame, or its invalid reclassification.</returns>
    public static FeedFrame Validate(in FeedFrame frame)
    {
        if (frame.Class != FrameClass.BookTicker)
        {
            return frame;
        }

        FrameFault fault = Check(frame.Ticker, out string? field);
        return fault == FrameFault.None ? frame : frame.AsInvalid(fault, field!);
    }

    /// <summary>
    /// <see cref="Validate"/> then <see cref="FlagInverted"/> in place, the way the pipeline applies them: a frame that
    /// passes is not copied.
    /// </summary>
    /// <param name="frame">The frame, reclassified or flagged where a rule says so.</param>
    public static void ValidateAndFlag(ref FeedFrame frame)
    {
        if (frame.Class != FrameClass.BookTicker)
        {
            return;
        }

        FrameFault fault = Check(frame.Ticker, out string? field);
        if (fault != FrameFault.None)
        {
            Invalidate(ref frame, fault, field!);
        }
        else if (DecimalParts.AtLeast(frame.Ticker.BidPrice, frame.Ticker.AskPrice) && !frame.Ticker.IsInverted)
        {
            Flag(ref frame);
        }
    }

    /// <summary>Checks the range rules: <c>u</c> from 1, a non-empty symbol, prices &gt; 0, sizes &gt;= 0.</summary>
    /// <param name="t">The ticker.</param>
    /// <param name="field">The JSON key of the first field that breaks a rule.</param>
    /// <returns>The fault, or <see cref="FrameFault.None"/>.</returns>
    public static FrameFault Check(in BookTicker t, out string? field)
    {
        (FrameFault fault, field) =
            t.UpdateId < 1 ? (FrameFault.UpdateIdOutOfRange, "u")
            : string.IsNullOrEmpty(t.Symbol) ? (FrameFault.EmptySymbol, "s")
            : decimal.Sign(t.BidPrice) <= 0 ? (FrameFault.PriceNotPositive, "b")
            : decimal.Sign(t.BidQty) < 0 ? (FrameFault.SizeNegative, "B")
            : decimal.Sign(t.AskPrice) <= 0 ? (FrameFault.PriceNotPositive, "a")
            : decimal.Sign(t.AskQty) < 0 ? (FrameFault.SizeNegative, "A")
            : (FrameFault.None, (string?)null);
        return fault;
    }

    /// <summary>Marks a book ticker whose bid is at or above its ask; it is kept and delivered, but never quoted on.</summary>
    /// <param name="frame">The frame.</param>
    /// <returns>The frame, flagged when inverted.</returns>
    public static FeedFrame FlagInverted(in FeedFrame frame) =>
        frame.Class == FrameClass.BookTicker && DecimalParts.AtLeast(frame.Ticker.BidPrice, frame.Ticker.AskPrice) && !frame.Ticker.IsInverted
            ? frame with { Ticker = frame.Ticker with { IsInverted = true } }
            : frame;

    // The rewrites build whole new frames; kept out of line so the common path does not zero their stack space per call.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Invalidate(ref FeedFrame frame, FrameFault fault, string field) => frame = frame.AsInvalid(fault, field);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Flag(ref FeedFrame frame) => frame = FlagInverted(frame);
}
