using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;

namespace RxFeed.Output;

/// <summary>
/// <c>--ticks-out</c> lines written straight into the batch buffer: the same bytes as <see cref="NdjsonText.WriteTick"/>
/// through a <see cref="Utf8JsonWriter"/>, without the writer's per-line bookkeeping, so one writer task keeps up with
/// a million ticks a second. A symbol JSON would escape takes the writer's path.
/// </summary>
public static class TickLines
{
    private const int MaxPlainLine = 160; // 20-digit ts and u, four 31-character decimals, the keys

    /// <summary>Appends one <c>--ticks-out</c> line, newline included.</summary>
    /// <param name="buffer">The output's batch buffer.</param>
    /// <param name="tick">The delivered tick.</param>
    public static void Write(ArrayBufferWriter<byte> buffer, in BookTicker tick)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        string symbol = tick.Symbol;
        if (!IsPlain(symbol))
        {
            WriteEscaped(buffer, tick);
            return;
        }

        Span<byte> span = buffer.GetSpan(MaxPlainLine + symbol.Length);
        int n = Put(span, "{\"ts\":"u8, 0);
        n += Format(tick.ReceivedNs, span[n..]);
        n = Put(span, ",\"s\":\""u8, n);
        for (int i = 0; i < symbol.Length; i++)
        {
            span[n++] = (byte)symbol[i];
        }

        n = Put(span, "\",\"u\":"u8, n);
        n += Format(tick.UpdateId, span[n..]);
        n = PutDecimal(span, ",\"b\":\""u8, tick.BidPrice, n);
        n = PutDecimal(span, "\",\"B\":\""u8, tick.BidQty, n);
        n = PutDecimal(span, "\",\"a\":\""u8, tick.AskPrice, n);
        n = PutDecimal(span, "\",\"A\":\""u8, tick.AskQty, n);
        n = Put(span, tick.IsInverted ? "\",\"inverted\":true}\n"u8 : "\",\"inverted\":false}\n"u8, n);
        buffer.Advance(n);
    }

    // Printable ASCII other than the two characters JSON escapes: written as they are.
    private static bool IsPlain(string symbol)
    {
        foreach (char c in symbol)
        {
            if (c < 0x20 || c > 0x7E || c == '"' || c == '\\')
            {
                return false;
            }
        }

        return true;
    }

    private static int Put(Span<byte> span, ReadOnlySpan<byte> text, int at)
    {
        text.CopyTo(span[at..]);
        return at + text.Length;
    }

    private static int PutDecimal(Span<byte> span, ReadOnlySpan<byte> key, decimal value, int at)
    {
        at = Put(span, key, at);
        value.TryFormat(span[at..], out int written, default, CultureInfo.InvariantCulture);
        return at + written;
    }

    private static int Format(long value, Span<byte> span)
    {
        Utf8Formatter.TryFormat(value, span, out int written);
        return written;
    }

    private static void WriteEscaped(ArrayBufferWriter<byte> buffer, in BookTicker tick)
    {
        using var json = new Utf8JsonWriter(buffer, NdjsonText.WriterOptions);
        NdjsonText.WriteTick(json, tick);
        json.Flush();
        buffer.GetSpan(1)[0] = (byte)'\n';
        buffer.Advance(1);
    }
}
