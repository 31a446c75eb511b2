using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RxFeed.Exchange.Market;

/// <summary>Finds and shifts the top-level <c>u</c> / <c>U</c> update ids of a payload, so a looping replay keeps them rising.</summary>
internal static class UpdateIdRewriter
{
    /// <summary>Reads the top-level <c>u</c> and <c>U</c> integers of a payload.</summary>
    /// <param name="payload">The payload.</param>
    /// <param name="lower">The smallest one found.</param>
    /// <param name="upper">The largest one found.</param>
    /// <returns><see langword="true"/> when at least one was found.</returns>
    public static bool TryRead(ReadOnlySpan<byte> payload, out long lower, out long upper)
    {
        lower = long.MaxValue;
        upper = long.MinValue;
        foreach (var (start, length) in Locate(payload))
        {
            if (long.TryParse(payload.Slice(start, length), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                lower = Math.Min(lower, value);
                upper = Math.Max(upper, value);
            }
        }

        return upper != long.MinValue;
    }

    /// <summary>Returns a copy of the payload with every top-level <c>u</c> and <c>U</c> raised by <paramref name="offset"/>.</summary>
    /// <param name="payload">The payload.</param>
    /// <param name="offset">The amount to add.</param>
    /// <param name="bookTickerU">The new <c>u</c>, or 0 when there is none.</param>
    /// <returns>The rewritten payload (the same bytes when there is nothing to shift).</returns>
    public static ReadOnlyMemory<byte> Shift(ReadOnlyMemory<byte> payload, long offset, out long bookTickerU)
    {
        bookTickerU = 0;
        var spots = Locate(payload.Span);
        if (spots.Count == 0 || offset == 0)
        {
            if (spots.Count > 0)
            {
                _ = TryRead(payload.Span, out _, out bookTickerU);
            }

            return payload;
        }

        var output = new List<byte>(payload.Length + 8);
        var position = 0;
        foreach (var (start, length) in spots)
        {
            output.AddRange(payload.Span[position..start].ToArray());
            var value = long.Parse(payload.Span.Slice(start, length), NumberStyles.None, CultureInfo.InvariantCulture) + offset;
            bookTickerU = Math.Max(bookTickerU, value);
            output.AddRange(Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture)));
            position = start + length;
        }

        output.AddRange(payload.Span[position..].ToArray());
        return output.ToArray();
    }

    private static List<(int Start, int Length)> Locate(ReadOnlySpan<byte> payload)
    {
        var spots = new List<(int, int)>(2);
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return spots;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isId = reader.ValueTextEquals("u"u8) || reader.ValueTextEquals("U"u8);
                reader.Read();
                if (isId && reader.TokenType == JsonTokenType.Number)
                {
                    spots.Add(((int)reader.TokenStartIndex, reader.ValueSpan.Length));
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            spots.Clear();
        }

        return spots;
    }
}
