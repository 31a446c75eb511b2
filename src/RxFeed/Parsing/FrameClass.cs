namespace RxFeed.Parsing;

/// <summary>
/// The class of one WebSocket frame. Every frame ends in exactly one class (see <c>host-cli.md</c>, "Counting frames").
/// </summary>
public enum FrameClass : byte
{
    /// <summary>A book ticker that passed every check so far; delivered unless a later operator reclassifies it.</summary>
    BookTicker,

    /// <summary>An ack, an error reply or <c>serverShutdown</c>; see <see cref="ControlKind"/>.</summary>
    Control,

    /// <summary>Any other well-formed JSON object (other streams, REST snapshots, ...).</summary>
    Other,

    /// <summary>Not a well-formed JSON object, over the frame cap, or a repeated key that RxFeed reads.</summary>
    Malformed,

    /// <summary>A book ticker whose payload breaks a field rule; changes no state.</summary>
    Invalid,

    /// <summary>A valid book ticker whose update id is not above the last delivered one of its symbol.</summary>
    OutOfOrder,
}

/// <summary>What a <see cref="FrameClass.Control"/> frame is.</summary>
public enum ControlKind : byte
{
    /// <summary>Not a control frame.</summary>
    None,

    /// <summary><c>{"result":...,"id":N}</c>.</summary>
    Ack,

    /// <summary><c>{"code":N,"msg":"..."}</c> or <c>{"error":{...},"id":N}</c>.</summary>
    Error,

    /// <summary><c>{"e":"serverShutdown",...}</c> or the combined stream <c>!serverShutdown</c>.</summary>
    ServerShutdown,
}

/// <summary>Why a frame is <see cref="FrameClass.Malformed"/> or <see cref="FrameClass.Invalid"/>.</summary>
public enum FrameFault : byte
{
    /// <summary>No fault.</summary>
    None,

    /// <summary>Malformed: empty or only whitespace.</summary>
    Empty,

    /// <summary>Malformed: a JSON syntax error (including <c>NaN</c>, comments, trailing commas, bad escapes).</summary>
    Syntax,

    /// <summary>Malformed: the text ends before the JSON value does.</summary>
    Truncated,

    /// <summary>Malformed: a well-formed JSON value that is not an object (text after a value is <see cref="Syntax"/>).</summary>
    NotAnObject,

    /// <summary>Malformed: the text is not valid Unicode (invalid UTF-8 on the wire, a lone surrogate).</summary>
    InvalidUnicode,

    /// <summary>Malformed: longer than the frame cap; never parsed.</summary>
    TooLarge,

    /// <summary>Malformed: an object repeats a key that RxFeed reads.</summary>
    DuplicateKey,

    /// <summary>Invalid: the book ticker payload is not an object.</summary>
    PayloadNotObject,

    /// <summary>Invalid: a required field is missing.</summary>
    MissingField,

    /// <summary>Invalid: a field has the wrong JSON type.</summary>
    WrongType,

    /// <summary>Invalid: <c>u</c> is a JSON number with a fraction or an exponent.</summary>
    NotInteger,

    /// <summary>Invalid: <c>u</c> is a JSON integer outside 1 to 2^63-1.</summary>
    UpdateIdOutOfRange,

    /// <summary>Invalid: <c>s</c> is empty.</summary>
    EmptySymbol,

    /// <summary>Invalid: a price or size is not a plain decimal string (digits, optionally a point and digits).</summary>
    NotPlainDecimal,

    /// <summary>Invalid: a price or size cannot be held exactly by <see cref="decimal"/>; it is never rounded.</summary>
    NotExact,

    /// <summary>Invalid: a price is not greater than zero.</summary>
    PriceNotPositive,

    /// <summary>Invalid: a size is negative.</summary>
    SizeNegative,
}
