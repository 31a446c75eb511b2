using System.Globalization;
using System.Text;

namespace RxFeed.Parsing;

/// <summary>
/// Turns one frame's text into its <see cref="FeedFrame"/>: the frame class of <c>host-cli.md</c> ("Counting frames"),
/// with the book ticker read exactly and without allocation (one cached string per symbol). Never throws on input.
/// One instance per pipeline: it holds the symbol cache and is not thread-safe.
/// </summary>
public sealed class FrameParser
{
    /// <summary>The default frame cap: 1 MiB.</summary>
    public const int DefaultMaxFrameBytes = 1 << 20;

    private readonly int _maxFrameBytes;
    private readonly StringCache _symbols = new();
    private readonly StringCache _streams = new();

    /// <summary>Initializes a new instance of the <see cref="FrameParser"/> class.</summary>
    /// <param name="maxFrameBytes">Frames longer than this many UTF-8 bytes are malformed and never parsed.</param>
    public FrameParser(int maxFrameBytes = DefaultMaxFrameBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrameBytes, 1);
        _maxFrameBytes = maxFrameBytes;
    }

    /// <summary>Classifies and reads one frame.</summary>
    /// <param name="frame">The frame text (one WebSocket text message).</param>
    /// <param name="receivedNs">Its local receive time, nanoseconds since the Unix epoch.</param>
    /// <returns>The typed outcome.</returns>
    public FeedFrame Parse(string? frame, long receivedNs)
    {
        return frame is null ? FeedFrame.Malformed(FrameFault.Empty, receivedNs) : Parse(frame.AsSpan(), receivedNs);
    }

    /// <summary>
    /// Classifies and reads one frame held in a buffer the caller reuses: nothing of <paramref name="text"/> is kept, so a
    /// reader can decode every line into the same buffer instead of allocating a string per frame.
    /// </summary>
    /// <param name="text">The frame text (one WebSocket text message).</param>
    /// <param name="receivedNs">Its local receive time, nanoseconds since the Unix epoch.</param>
    /// <returns>The typed outcome.</returns>
    public FeedFrame Parse(ReadOnlySpan<char> text, long receivedNs)
    {
        if (text.Length > _maxFrameBytes || (text.Length > _maxFrameBytes / 3 && Encoding.UTF8.GetByteCount(text) > _maxFrameBytes))
        {
            return FeedFrame.Malformed(FrameFault.TooLarge, receivedNs);
        }

        if (CanonicalBookTicker.TryRead(text, out long u, out ReadOnlySpan<char> s, out decimal b, out decimal bq, out decimal a, out decimal aq))
        {
            return FeedFrame.ForTicker(new BookTicker(_symbols.Get(s), u, b, bq, a, aq, receivedNs));
        }

        return ParseGeneral(text, receivedNs);
    }

    /// <summary>
    /// Reads a frame straight from its UTF-8 bytes when it has Binance's exact book-ticker shape (the fast path of
    /// <see cref="Parse(ReadOnlySpan{char}, long)"/>, which gives the same frame for the same text); false for anything
    /// else, which the caller decodes and passes to <see cref="Parse(ReadOnlySpan{char}, long)"/>. A replay reads most
    /// frames this way, with no transcoding to UTF-16.
    /// </summary>
    /// <param name="utf8">The frame's bytes.</param>
    /// <param name="receivedNs">Its receive time.</param>
    /// <param name="frame">The book ticker, when this returns true.</param>
    /// <returns>True when the frame was read.</returns>
    public bool TryParseBookTicker(ReadOnlySpan<byte> utf8, long receivedNs, out FeedFrame frame)
    {
        if (utf8.Length <= _maxFrameBytes &&
            CanonicalBookTicker.TryRead(utf8, out long u, out ReadOnlySpan<byte> s, out decimal b, out decimal bq, out decimal a, out decimal aq))
        {
            frame = FeedFrame.ForTicker(new BookTicker(_symbols.Get(s), u, b, bq, a, aq, receivedNs));
            return true;
        }

        frame = default;
        return false;
    }

    /// <summary>The general path: a strict scan of any JSON text, then classification.</summary>
    private FeedFrame ParseGeneral(ReadOnlySpan<char> text, long receivedNs)
    {
        var scanner = new JsonScanner(text);
        scanner.SkipWhitespace();
        if (scanner.AtEnd)
        {
            return FeedFrame.Malformed(FrameFault.Empty, receivedNs);
        }

        ObjectCapture top = default;
        ObjectCapture data = default;
        ObjectCapture error = default;
        bool isObject = scanner.Peek == '{';
        bool ok = isObject ? scanner.ReadObject(ref top, ref data, ref error, nested: true) : scanner.ReadValue(out _);
        if (!ok)
        {
            return FeedFrame.Malformed(ToFault(scanner.Status), receivedNs);
        }

        scanner.SkipWhitespace();
        if (!scanner.AtEnd)
        {
            return FeedFrame.Malformed(FrameFault.Syntax, receivedNs);
        }

        if (!isObject)
        {
            return FeedFrame.Malformed(FrameFault.NotAnObject, receivedNs);
        }

        if (top.HasDuplicate)
        {
            return FeedFrame.Malformed(FrameFault.DuplicateKey, receivedNs, FieldKeys.Name(top.Duplicate));
        }

        return Classify(text, in top, in data, in error, receivedNs);
    }

    private static FrameFault ToFault(ScanStatus status) => status switch
    {
        ScanStatus.Truncated => FrameFault.Truncated,
        ScanStatus.InvalidUnicode => FrameFault.InvalidUnicode,
        _ => FrameFault.Syntax,
    };

    private static ReadOnlySpan<char> Raw(ReadOnlySpan<char> text, in ValueRef v) => text.Slice(v.Start, v.Length);

    private static ReadOnlySpan<char> StringValue(ReadOnlySpan<char> text, in ValueRef v) =>
        v.Escaped ? JsonString.Decode(Raw(text, v), escaped: true) : Raw(text, v);

    private static bool IsString(ReadOnlySpan<char> text, in ValueRef v, string expected) =>
        v.Kind == ValueKind.String && StringValue(text, v).SequenceEqual(expected);

    private FeedFrame Classify(ReadOnlySpan<char> text, in ObjectCapture top, in ObjectCapture data, in ObjectCapture error, long ns)
    {
        ValueRef stream = top[FieldKey.Stream];
        ValueRef e = top[FieldKey.E];
        if (top[FieldKey.Result].IsPresent && top[FieldKey.Id].IsPresent)
        {
            return Control(ControlKind.Ack, text, in top, in top, ns);
        }

        if (top[FieldKey.Code].IsPresent && top[FieldKey.Msg].IsPresent)
        {
            return Control(ControlKind.Error, text, in top, in top, ns);
        }

        if (top[FieldKey.Error].Kind == ValueKind.Object && top[FieldKey.Id].IsPresent)
        {
            return Control(ControlKind.Error, text, in top, in error, ns);
        }

        if (IsString(text, e, "serverShutdown") || IsString(text, stream, "!serverShutdown"))
        {
            return Control(ControlKind.ServerShutdown, text, in top, in top, ns);
        }

        if (stream.Kind == ValueKind.String && top[FieldKey.Data].IsPresent)
        {
            ReadOnlySpan<char> name = StringValue(text, stream);
            if (!name.EndsWith("@bookTicker", StringComparison.Ordinal))
            {
                return new FeedFrame { Class = FrameClass.Other, Stream = _streams.Get(name), ReceivedNs = ns };
            }

            if (top[FieldKey.Data].Kind != ValueKind.Object)
            {
                return new FeedFrame { Class = FrameClass.Invalid, Fault = FrameFault.PayloadNotObject, Field = "data", ReceivedNs = ns };
            }

            return data.HasDuplicate
                ? FeedFrame.Malformed(FrameFault.DuplicateKey, ns, FieldKeys.Name(data.Duplicate))
                : ReadTicker(text, in data, ns);
        }

        if (e.IsPresent)
        {
            return IsString(text, e, "bookTicker")
                ? ReadTicker(text, in top, ns)
                : new FeedFrame { Class = FrameClass.Other, Stream = e.Kind == ValueKind.String ? _streams.Get(StringValue(text, e)) : null, ReceivedNs = ns };
        }

        if (top[FieldKey.U].IsPresent && top[FieldKey.S].IsPresent && top[FieldKey.BidPrice].IsPresent && top[FieldKey.AskPrice].IsPresent)
        {
            return ReadTicker(text, in top, ns);
        }

        return new FeedFrame { Class = FrameClass.Other, ReceivedNs = ns };
    }

    private FeedFrame ReadTicker(ReadOnlySpan<char> text, in ObjectCapture p, long ns)
    {
        // Fields are checked in the order u, s, b, B, a, A; the first fault found is the one reported.
        ValueRef u = p[FieldKey.U];
        if (!u.IsPresent)
        {
            return Invalid(FrameFault.MissingField, FieldKey.U, ns);
        }

        if (u.Kind != ValueKind.Number)
        {
            return Invalid(FrameFault.WrongType, FieldKey.U, ns);
        }

        if (!u.IsInteger)
        {
            return Invalid(FrameFault.NotInteger, FieldKey.U, ns);
        }

        if (!long.TryParse(Raw(text, u), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long updateId))
        {
            return Invalid(FrameFault.UpdateIdOutOfRange, FieldKey.U, ns);
        }

        ValueRef s = p[FieldKey.S];
        if (!s.IsPresent)
        {
            return Invalid(FrameFault.MissingField, FieldKey.S, ns);
        }

        if (s.Kind != ValueKind.String)
        {
            return Invalid(FrameFault.WrongType, FieldKey.S, ns);
        }

        FrameFault fault = ReadDecimal(text, p[FieldKey.BidPrice], out decimal bid);
        if (fault != FrameFault.None)
        {
            return Invalid(fault, FieldKey.BidPrice, ns);
        }

        fault = ReadDecimal(text, p[FieldKey.BidQty], out decimal bidQty);
        if (fault != FrameFault.None)
        {
            return Invalid(fault, FieldKey.BidQty, ns);
        }

        fault = ReadDecimal(text, p[FieldKey.AskPrice], out decimal ask);
        if (fault != FrameFault.None)
        {
            return Invalid(fault, FieldKey.AskPrice, ns);
        }

        fault = ReadDecimal(text, p[FieldKey.AskQty], out decimal askQty);
        if (fault != FrameFault.None)
        {
            return Invalid(fault, FieldKey.AskQty, ns);
        }

        string symbol = _symbols.Get(StringValue(text, s));
        return FeedFrame.ForTicker(new BookTicker(symbol, updateId, bid, bidQty, ask, askQty, ns));
    }

    private static FrameFault ReadDecimal(ReadOnlySpan<char> text, in ValueRef v, out decimal value)
    {
        value = 0m;
        if (!v.IsPresent)
        {
            return FrameFault.MissingField;
        }

        return v.Kind != ValueKind.String ? FrameFault.WrongType : DecimalText.TryParse(StringValue(text, v), out value);
    }

    private static FeedFrame Invalid(FrameFault fault, FieldKey field, long ns) =>
        new() { Class = FrameClass.Invalid, Fault = fault, Field = FieldKeys.Name(field), ReceivedNs = ns };

    private FeedFrame Control(ControlKind kind, ReadOnlySpan<char> text, in ObjectCapture top, in ObjectCapture codeAndMsg, long ns)
    {
        ValueRef id = top[FieldKey.Id];
        ValueRef code = codeAndMsg[FieldKey.Code];
        ValueRef msg = codeAndMsg[FieldKey.Msg];
        ValueRef stream = top[FieldKey.Stream];
        return new FeedFrame
        {
            Class = FrameClass.Control,
            Control = kind,
            Id = ReadInteger(text, id),
            ErrorCode = kind == ControlKind.Error ? ReadInteger(text, code) : null,
            Message = kind == ControlKind.Error && msg.Kind == ValueKind.String ? JsonString.Decode(Raw(text, msg), msg.Escaped) : null,
            Stream = stream.Kind == ValueKind.String ? _streams.Get(StringValue(text, stream)) : null,
            ReceivedNs = ns,
        };
    }

    private static long? ReadInteger(ReadOnlySpan<char> text, in ValueRef v) =>
        v.Kind == ValueKind.Number && v.IsInteger && long.TryParse(Raw(text, v), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n)
            ? n
            : null;
}
