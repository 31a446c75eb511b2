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

        BookTicker t = frame.Ticker;
        if (t.UpdateId < 1)
        {
            return frame.AsInvalid(FrameFault.UpdateIdOutOfRange, "u");
        }

        if (string.IsNullOrEmpty(t.Symbol))
        {
            return frame.AsInvalid(FrameFault.EmptySymbol, "s");
        }

        if (t.BidPrice <= 0m)
        {
            return frame.AsInvalid(FrameFault.PriceNotPositive, "b");
        }

        if (t.BidQty < 0m)
        {
            return frame.AsInvalid(FrameFault.SizeNegative, "B");
        }

        if (t.AskPrice <= 0m)
        {
            return frame.AsInvalid(FrameFault.PriceNotPositive, "a");
        }

        return t.AskQty < 0m ? frame.AsInvalid(FrameFault.SizeNegative, "A") : frame;
    }

    /// <summary>Marks a book ticker whose bid is at or above its ask; it is kept and delivered, but never quoted on.</summary>
    /// <param name="frame">The frame.</param>
    /// <returns>The frame, flagged when inverted.</returns>
    public static FeedFrame FlagInverted(in FeedFrame frame) =>
        frame.Class == FrameClass.BookTicker && frame.Ticker.BidPrice >= frame.Ticker.AskPrice && !frame.Ticker.IsInverted
            ? frame with { Ticker = frame.Ticker with { IsInverted = true } }
            : frame;
}
