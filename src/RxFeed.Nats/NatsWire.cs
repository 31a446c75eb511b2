using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using RxFeed.Health;
using RxFeed.Output;
using RxFeed.Parsing;

namespace RxFeed.Nats;

/// <summary>
/// The messages on the wire: compact JSON with the contract's field names and decimals as exact strings.
/// A tick is <c>{"ts":…,"s":"…","u":…,"b":"…","B":"…","a":"…","A":"…","inverted":false,"p":"publisher"}</c>, a health change
/// <c>{"ts":…,"s":"…","state":"Live","reason":"…","p":"publisher"}</c>, a heartbeat <c>{"ts":…,"p":"publisher","published":n}</c>.
/// </summary>
public static class NatsWire
{
    private static readonly JsonEncodedText Ts = JsonEncodedText.Encode("ts");
    private static readonly JsonEncodedText S = JsonEncodedText.Encode("s");
    private static readonly JsonEncodedText P = JsonEncodedText.Encode("p");
    private static readonly JsonEncodedText State = JsonEncodedText.Encode("state");
    private static readonly JsonEncodedText Reason = JsonEncodedText.Encode("reason");
    private static readonly JsonEncodedText Published = JsonEncodedText.Encode("published");

    /// <summary>Writes one tick message.</summary>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="tick">The delivered tick.</param>
    /// <param name="publisherId">The publisher's id.</param>
    public static void WriteTick(IBufferWriter<byte> output, in BookTicker tick, string publisherId)
    {
        using var w = new Utf8JsonWriter(output, NdjsonText.WriterOptions);
        WriteTick(w, tick, publisherId);
    }

    /// <summary>Writes one tick message with a writer the caller keeps (and resets per message), allocating nothing.</summary>
    /// <param name="w">The writer, reset to the message's buffer.</param>
    /// <param name="tick">The delivered tick.</param>
    /// <param name="publisherId">The publisher's id.</param>
    internal static void WriteTick(Utf8JsonWriter w, in BookTicker tick, string publisherId)
    {
        // The --ticks-out line's keys, then the publisher's id.
        w.WriteStartObject();
        NdjsonText.WriteTickFields(w, tick);
        w.WriteString(P, publisherId);
        w.WriteEndObject();
        w.Flush();
    }

    /// <summary>Writes one health message.</summary>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="change">The change.</param>
    /// <param name="publisherId">The publisher's id.</param>
    public static void WriteHealth(IBufferWriter<byte> output, in HealthChange change, string publisherId)
    {
        using var w = new Utf8JsonWriter(output, NdjsonText.WriterOptions);
        w.WriteStartObject();
        w.WriteNumber(Ts, change.TsNs);
        w.WriteString(S, change.Symbol);
        w.WriteString(State, change.State.ToString());
        w.WriteString(Reason, change.Reason);
        w.WriteString(P, publisherId);
        w.WriteEndObject();
    }

    /// <summary>Writes one heartbeat message.</summary>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="tsNs">The publisher's clock, Unix nanoseconds.</param>
    /// <param name="publisherId">The publisher's id.</param>
    /// <param name="published">Messages published so far.</param>
    public static void WriteHeartbeat(IBufferWriter<byte> output, long tsNs, string publisherId, long published)
    {
        using var w = new Utf8JsonWriter(output, NdjsonText.WriterOptions);
        w.WriteStartObject();
        w.WriteNumber(Ts, tsNs);
        w.WriteString(P, publisherId);
        w.WriteNumber(Published, published);
        w.WriteEndObject();
    }

    /// <summary>
    /// Reads a tick message back, exactly: decimals from their strings with their scale, the publisher's <c>ts</c>. Every
    /// field of the contract must be there once with its type; <c>inverted</c> is recomputed, never trusted; other keys are
    /// ignored so a newer publisher can add some. The range rules are the socket feed's (<see cref="BookTickerRules"/>).
    /// </summary>
    /// <param name="json">The message.</param>
    /// <param name="subjectSymbol">The symbol of the subject it came on; the body must agree.</param>
    /// <returns>A <see cref="FrameClass.BookTicker"/> frame, or a <see cref="FrameClass.Malformed"/> or <see cref="FrameClass.Invalid"/> one saying why.</returns>
    public static FeedFrame ReadTick(ReadOnlySpan<byte> json, string? subjectSymbol)
    {
        long? ts = null, u = null;
        string? s = null;
        decimal? b = null, bq = null, a = null, aq = null;
        try
        {
            var r = new Utf8JsonReader(json);
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
            {
                return FeedFrame.Malformed(json.IsEmpty ? FrameFault.Empty : FrameFault.NotAnObject, 0);
            }

            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                // Keys compared in place and values parsed from their bytes: a consumer allocates nothing per tick but the
                // symbol when the body's differs from the subject's (then it is refused anyway).
                string key = Key(ref r);
                r.Read();
                FrameFault fault = key switch
                {
                    "ts" => Integer(ref r, ref ts),
                    "u" => Integer(ref r, ref u),
                    "s" => Text(ref r, ref s, subjectSymbol),
                    "b" => Decimal(ref r, ref b),
                    "B" => Decimal(ref r, ref bq),
                    "a" => Decimal(ref r, ref a),
                    "A" => Decimal(ref r, ref aq),
                    _ => Skip(ref r),
                };
                if (fault != FrameFault.None)
                {
                    return FeedFrame.Malformed(fault, ts ?? 0, key);
                }
            }

            if (r.TokenType != JsonTokenType.EndObject || r.Read())
            {
                return FeedFrame.Malformed(FrameFault.Syntax, ts ?? 0);
            }
        }
        catch (JsonException)
        {
            return FeedFrame.Malformed(FrameFault.Syntax, ts ?? 0);
        }

        string? missing = ts is null ? "ts" : s is null ? "s" : u is null ? "u" : b is null ? "b" : bq is null ? "B" : a is null ? "a" : aq is null ? "A" : null;
        if (missing is not null)
        {
            return FeedFrame.Malformed(FrameFault.MissingField, ts ?? 0, missing);
        }

        var tick = new BookTicker(s!, u!.Value, b!.Value, bq!.Value, a!.Value, aq!.Value, ts!.Value);
        FeedFrame frame = FeedFrame.ForTicker(tick);
        if (subjectSymbol is not null && !string.Equals(subjectSymbol, s, StringComparison.Ordinal))
        {
            return frame.AsInvalid(FrameFault.WrongType, "s");
        }

        BookTickerRules.ValidateAndFlag(ref frame);
        return frame;
    }

    private static FrameFault Integer(ref Utf8JsonReader r, ref long? slot)
    {
        if (slot is not null)
        {
            return FrameFault.DuplicateKey;
        }

        if (r.TokenType != JsonTokenType.Number)
        {
            return FrameFault.WrongType;
        }

        if (!r.TryGetInt64(out long v))
        {
            return FrameFault.NotInteger;
        }

        slot = v;
        return FrameFault.None;
    }

    /// <summary>The contract's keys as interned constants; any other key is read as a string (rare: newer publishers).</summary>
    private static string Key(ref Utf8JsonReader r) =>
        r.ValueIsEscaped ? r.GetString()!
        : r.ValueTextEquals("ts"u8) ? "ts"
        : r.ValueTextEquals("s"u8) ? "s"
        : r.ValueTextEquals("u"u8) ? "u"
        : r.ValueTextEquals("b"u8) ? "b"
        : r.ValueTextEquals("B"u8) ? "B"
        : r.ValueTextEquals("a"u8) ? "a"
        : r.ValueTextEquals("A"u8) ? "A"
        : r.GetString()!;

    private static FrameFault Text(ref Utf8JsonReader r, ref string? slot, string? expected)
    {
        if (slot is not null)
        {
            return FrameFault.DuplicateKey;
        }

        if (r.TokenType != JsonTokenType.String)
        {
            return FrameFault.WrongType;
        }

        slot = expected is not null && r.ValueTextEquals(expected) ? expected : r.GetString();
        return FrameFault.None;
    }

    private static FrameFault Decimal(ref Utf8JsonReader r, ref decimal? slot)
    {
        if (slot is not null)
        {
            return FrameFault.DuplicateKey;
        }

        if (r.TokenType != JsonTokenType.String)
        {
            return FrameFault.WrongType;
        }

        // Plain decimal text only (no exponent, no spaces): what the publisher writes, parsed with its scale kept.
        ReadOnlySpan<byte> text = r.ValueIsEscaped || r.HasValueSequence ? Encoding.UTF8.GetBytes(r.GetString()!) : r.ValueSpan;
        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal v))
        {
            return FrameFault.NotPlainDecimal;
        }

        slot = v;
        return FrameFault.None;
    }

    private static FrameFault Skip(ref Utf8JsonReader r)
    {
        r.Skip();
        return FrameFault.None;
    }
}
