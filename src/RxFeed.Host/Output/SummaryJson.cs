using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using RxFeed.Diagnostics;

namespace RxFeed.Host.Output;

/// <summary>The <c>--json</c> summary shared by <c>replay</c> and <c>run</c>, and the per-line shapes of the outputs.</summary>
internal static class SummaryJson
{
    /// <summary>Writes the summary object: the replay keys, then whatever the verb adds.</summary>
    /// <param name="output">Where (stdout).</param>
    /// <param name="lines">Non-blank lines (or frames received, in <c>run</c>).</param>
    /// <param name="counts">The frame counts.</param>
    /// <param name="extra">The verb's own keys, or null.</param>
    public static void Write(Stream output, long lines, FeedCountsSnapshot counts, Action<Utf8JsonWriter>? extra = null)
    {
        using (var json = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("lines", lines);
            json.WriteNumber("bookTickers", counts.BookTickers);
            json.WriteNumber("inverted", counts.Inverted);
            json.WriteNumber("invalid", counts.Invalid);
            json.WriteNumber("malformed", counts.Malformed);
            json.WriteNumber("outOfOrder", counts.OutOfOrder);
            json.WriteNumber("other", counts.Other);
            json.WriteNumber("control", counts.Control);
            json.WriteStartObject("symbols");
            foreach ((string symbol, SymbolCounts s) in counts.Symbols)
            {
                json.WriteStartObject(symbol);
                json.WriteNumber("bookTickers", s.BookTickers);
                json.WriteNumber("inverted", s.Inverted);
                json.WriteNumber("outOfOrder", s.OutOfOrder);
                json.WriteNumber("lastUpdateId", s.LastUpdateId);
                json.WriteString("bidSum", s.BidSum);
                json.WriteString("askSum", s.AskSum);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            extra?.Invoke(json);
            json.WriteEndObject();
        }

        output.WriteByte((byte)'\n');
        output.Flush();
    }
}
