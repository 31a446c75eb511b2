namespace RxFeed.Parsing;

/// <summary>What a frame of the <see cref="FrameClass.Other"/> class holds, as far as order books and trades go.</summary>
public enum MarketFrameKind : byte
{
    /// <summary>None of the kinds below: the frame stays <c>other</c>.</summary>
    None,

    /// <summary>A diff-depth event (<c>&lt;sym&gt;@depth</c>, <c>&lt;sym&gt;@depth@100ms</c>, or raw <c>"e":"depthUpdate"</c>).</summary>
    Depth,

    /// <summary>A REST depth snapshot line (an object with <c>lastUpdateId</c>, no stream, no event type).</summary>
    Snapshot,

    /// <summary>A trade (<c>&lt;sym&gt;@trade</c>, or raw <c>"e":"trade"</c>).</summary>
    Trade,
}

/// <summary>
/// The typed outcome of reading one frame as market data: its kind and, when it breaks a field rule, the fault and the
/// field (the same faults as an invalid book ticker). A valid depth event or snapshot is in the parser's reused
/// <see cref="MarketFrameParser.Depth"/> / <see cref="MarketFrameParser.Snapshot"/>; a valid trade is in <see cref="Trade"/>.
/// </summary>
/// <param name="Kind">The kind, whether valid or not.</param>
/// <param name="Fault">Why it is invalid; <see cref="FrameFault.None"/> when valid.</param>
/// <param name="Field">The JSON key of the offending field (<c>b[3]</c> for a level of <c>b</c>), else null.</param>
/// <param name="Trade">The trade, for a valid <see cref="MarketFrameKind.Trade"/>.</param>
public readonly record struct MarketFrame(MarketFrameKind Kind, FrameFault Fault = FrameFault.None, string? Field = null, Trade Trade = default)
{
    /// <summary>Gets a value indicating whether the frame is of a known kind and broke no rule.</summary>
    public bool IsValid => Kind != MarketFrameKind.None && Fault == FrameFault.None;
}
