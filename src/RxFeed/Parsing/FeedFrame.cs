namespace RxFeed.Parsing;

/// <summary>
/// The typed outcome of one WebSocket frame: exactly one <see cref="FrameClass"/>, with the book ticker, the control
/// details or the fault that put it there. Operators down the pipeline may reclassify a book ticker
/// (<see cref="FrameClass.Invalid"/>, <see cref="FrameClass.OutOfOrder"/>) but never drop a frame silently.
/// </summary>
public readonly record struct FeedFrame
{
    /// <summary>Gets the frame's class.</summary>
    public FrameClass Class { get; init; }

    /// <summary>Gets the book ticker (for <see cref="FrameClass.BookTicker"/> and <see cref="FrameClass.OutOfOrder"/>; partial for <see cref="FrameClass.Invalid"/>).</summary>
    public BookTicker Ticker { get; init; }

    /// <summary>Gets what a control frame is.</summary>
    public ControlKind Control { get; init; }

    /// <summary>Gets why the frame is malformed or invalid.</summary>
    public FrameFault Fault { get; init; }

    /// <summary>Gets the JSON key of the offending field for invalid frames and duplicate keys, else null.</summary>
    public string? Field { get; init; }

    /// <summary>
    /// Gets, for <see cref="FrameClass.Other"/> and <see cref="FrameClass.Control"/> frames, the combined envelope's stream
    /// name or the raw frame's event type (<c>e</c>). Null for book tickers: their symbol is in <see cref="Ticker"/>, and
    /// looking the name up would cost the hot path.
    /// </summary>
    public string? Stream { get; init; }

    /// <summary>Gets the request id of an ack or error reply, when the server sent one.</summary>
    public long? Id { get; init; }

    /// <summary>Gets the error code of an error reply.</summary>
    public long? ErrorCode { get; init; }

    /// <summary>Gets the error message of an error reply.</summary>
    public string? Message { get; init; }

    /// <summary>Gets the local receive time in nanoseconds since the Unix epoch.</summary>
    public long ReceivedNs { get; init; }

    /// <summary>Gets a value indicating whether this frame is a book ticker that is (still) to be delivered.</summary>
    public bool IsDeliverable => Class == FrameClass.BookTicker;

    /// <summary>Creates a delivered-class book ticker frame.</summary>
    /// <param name="ticker">The ticker.</param>
    /// <param name="stream">The combined stream name, if any.</param>
    /// <returns>The frame.</returns>
    public static FeedFrame ForTicker(in BookTicker ticker, string? stream = null) =>
        new() { Class = FrameClass.BookTicker, Ticker = ticker, Stream = stream, ReceivedNs = ticker.ReceivedNs };

    /// <summary>Creates a malformed frame.</summary>
    /// <param name="fault">Why.</param>
    /// <param name="receivedNs">Receive time.</param>
    /// <param name="field">The repeated key for <see cref="FrameFault.DuplicateKey"/>.</param>
    /// <returns>The frame.</returns>
    public static FeedFrame Malformed(FrameFault fault, long receivedNs, string? field = null) =>
        new() { Class = FrameClass.Malformed, Fault = fault, Field = field, ReceivedNs = receivedNs };

    /// <summary>Returns this book ticker reclassified as <see cref="FrameClass.Invalid"/>.</summary>
    /// <param name="fault">Why.</param>
    /// <param name="field">The JSON key of the offending field.</param>
    /// <returns>The frame.</returns>
    public FeedFrame AsInvalid(FrameFault fault, string field) => this with { Class = FrameClass.Invalid, Fault = fault, Field = field };

    /// <inheritdoc/>
    public override string ToString() => Class switch
    {
        FrameClass.BookTicker => $"BookTicker {Ticker}",
        FrameClass.OutOfOrder => $"OutOfOrder {Ticker.Symbol} u={Ticker.UpdateId}",
        FrameClass.Control => $"Control {Control} id={Id} code={ErrorCode} msg={Message} stream={Stream}",
        FrameClass.Other => $"Other {Stream}",
        _ => $"{Class} {Fault}{(Field is null ? string.Empty : " " + Field)}",
    };
}
