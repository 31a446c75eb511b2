namespace RxFeed.Exchange.Faults;

/// <summary>The bad frames the exchange can send on purpose.</summary>
public enum BadFrameKind
{
    /// <summary>Text that is not JSON at all.</summary>
    Garbage,

    /// <summary>A book ticker cut in half.</summary>
    Truncated,

    /// <summary>A well-formed book ticker longer than 1 MiB (past the client's frame cap).</summary>
    Oversized,

    /// <summary>A book ticker with an invalid field (negative price, <c>u</c> as a string, exponent, missing field).</summary>
    InvalidFields,

    /// <summary>The last book ticker again, byte for byte.</summary>
    Duplicate,

    /// <summary>The last book ticker with a lower <c>u</c>.</summary>
    OlderUpdateId,

    /// <summary>A book ticker with a rising <c>u</c> whose bid is at or above its ask.</summary>
    Inverted,
}
