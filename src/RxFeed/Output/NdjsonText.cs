using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RxFeed.Output;

/// <summary>How every NDJSON output writes its values: compact, decimals as exact JSON strings, no escaping of plain text.</summary>
public static class NdjsonText
{
    private static readonly JsonEncodedText Ts = JsonEncodedText.Encode("ts");
    private static readonly JsonEncodedText S = JsonEncodedText.Encode("s");
    private static readonly JsonEncodedText U = JsonEncodedText.Encode("u");
    private static readonly JsonEncodedText Bid = JsonEncodedText.Encode("b");
    private static readonly JsonEncodedText BidQty = JsonEncodedText.Encode("B");
    private static readonly JsonEncodedText Ask = JsonEncodedText.Encode("a");
    private static readonly JsonEncodedText AskQty = JsonEncodedText.Encode("A");
    private static readonly JsonEncodedText Inverted = JsonEncodedText.Encode("inverted");

    /// <summary>Gets the writer options of every output line.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    /// <summary>Writes a decimal as a JSON string, exactly as the value's scale has it, without allocating.</summary>
    /// <param name="writer">The JSON writer.</param>
    /// <param name="name">The key.</param>
    /// <param name="value">The value.</param>
    public static void WriteDecimal(Utf8JsonWriter writer, JsonEncodedText name, decimal value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> buffer = stackalloc byte[64]; // a decimal's longest text is 31 characters
        value.TryFormat(buffer, out int written, default, CultureInfo.InvariantCulture);
        writer.WriteString(name, buffer[..written]);
    }

    /// <inheritdoc cref="WriteDecimal(Utf8JsonWriter, JsonEncodedText, decimal)"/>
    public static void WriteDecimal(Utf8JsonWriter writer, string name, decimal value) => WriteDecimal(writer, JsonEncodedText.Encode(name), value);

    /// <summary>One <c>--ticks-out</c> line: <c>{"ts":…,"s":…,"u":…,"b":"…","B":"…","a":"…","A":"…","inverted":false}</c>.</summary>
    /// <param name="writer">The JSON writer.</param>
    /// <param name="tick">The delivered tick.</param>
    public static void WriteTick(Utf8JsonWriter writer, in BookTicker tick)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        WriteTickFields(writer, tick);
        writer.WriteEndObject();
    }

    /// <summary>The keys of a tick line, in the contract's order, inside an object the caller opened (and may add to).</summary>
    /// <param name="writer">The JSON writer.</param>
    /// <param name="tick">The tick.</param>
    public static void WriteTickFields(Utf8JsonWriter writer, in BookTicker tick)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumber(Ts, tick.ReceivedNs);
        writer.WriteString(S, tick.Symbol);
        writer.WriteNumber(U, tick.UpdateId);
        WriteDecimal(writer, Bid, tick.BidPrice);
        WriteDecimal(writer, BidQty, tick.BidQty);
        WriteDecimal(writer, Ask, tick.AskPrice);
        WriteDecimal(writer, AskQty, tick.AskQty);
        writer.WriteBoolean(Inverted, tick.IsInverted);
    }
}
