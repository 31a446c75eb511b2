using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using RxFeed.Book;
using RxFeed.Diagnostics;
using RxFeed.Output;

namespace RxFeed.Host.Output;

/// <summary>The <c>--json</c> summary shared by <c>replay</c> and <c>run</c>, and the per-line shapes of the outputs.</summary>
internal static class SummaryJson
{
    /// <summary>Writes the summary object: the replay keys, then whatever the verb adds.</summary>
    /// <param name="output">Where (stdout).</param>
    /// <param name="lines">Non-blank lines (or frames received, in <c>run</c>).</param>
    /// <param name="counts">The frame counts.</param>
    /// <param name="extra">The verb's own keys, or null.</param>
    /// <param name="market">The books and trades built beside the book tickers, or null: then depth, trade and snapshot lines stay <c>other</c>.</param>
    public static void Write(Stream output, long lines, FeedCountsSnapshot counts, Action<Utf8JsonWriter>? extra = null, MarketDataBooks? market = null)
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
            json.WriteNumber("other", counts.Other - (market?.Frames ?? 0));
            json.WriteNumber("control", counts.Control);
            if (market is not null)
            {
                json.WriteNumber("depth", market.Depth);
                json.WriteNumber("trades", market.Trades);
                json.WriteNumber("snapshots", market.Snapshots);
                json.WriteNumber("invalidDepth", market.InvalidDepth);
                json.WriteNumber("invalidTrades", market.InvalidTrades);
                json.WriteNumber("invalidSnapshots", market.InvalidSnapshots);
                json.WriteNumber("tradesOutOfOrder", market.TradesOutOfOrder);
            }

            json.WriteStartObject("symbols");
            var names = new SortedSet<string>(counts.Symbols.Keys, StringComparer.Ordinal);
            if (market is not null)
            {
                names.UnionWith(market.Books.Keys);
                names.UnionWith(market.TradesBySymbol.Keys);
            }

            foreach (string symbol in names)
            {
                SymbolCounts s = counts.Symbols.TryGetValue(symbol, out SymbolCounts? found) ? found : new SymbolCounts(0, 0, 0, 0, "0", "0");
                json.WriteStartObject(symbol);
                json.WriteNumber("bookTickers", s.BookTickers);
                json.WriteNumber("inverted", s.Inverted);
                json.WriteNumber("outOfOrder", s.OutOfOrder);
                json.WriteNumber("lastUpdateId", s.LastUpdateId);
                json.WriteString("bidSum", s.BidSum);
                json.WriteString("askSum", s.AskSum);
                if (market is not null)
                {
                    if (market.Books.TryGetValue(symbol, out OrderBook? book))
                    {
                        WriteBook(json, book);
                    }

                    json.WriteNumber("trades", market.TradesBySymbol.GetValueOrDefault(symbol));
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
            extra?.Invoke(json);
            json.WriteEndObject();
        }

        output.WriteByte((byte)'\n');
        output.Flush();
    }

    /// <summary>A book's counts and its best prices (null while unsynced or empty).</summary>
    private static void WriteBook(Utf8JsonWriter json, OrderBook book)
    {
        BookCounts c = book.Counts;
        json.WriteStartObject("book");
        json.WriteNumber("events", c.Events);
        json.WriteNumber("applied", c.Applied);
        json.WriteNumber("dropped", c.Dropped);
        json.WriteNumber("gaps", c.Gaps);
        json.WriteNumber("resyncs", c.Resyncs);
        json.WriteNumber("crossed", c.Crossed);
        WriteBest(json, "bestBid", book.Bids);
        WriteBest(json, "bestAsk", book.Asks);
        json.WriteBoolean("synced", book.IsSynced);
        json.WriteEndObject();
    }

    private static void WriteBest(Utf8JsonWriter json, string name, BookSide side)
    {
        if (side.TryGetBest(out PriceLevel best))
        {
            json.WriteString(name, Text(best.Price));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    /// <summary>One <c>--book-out</c> line: the book's top levels after an applied event, best first.</summary>
    /// <param name="json">The line's writer.</param>
    /// <param name="view">The book's view, taken right after the event (the book itself moves on).</param>
    public static void WriteBookLine(Utf8JsonWriter json, in BookView view)
    {
        json.WriteStartObject();
        json.WriteNumber("ts", view.ReceivedNs);
        json.WriteString("s", view.Symbol);
        json.WriteNumber("u", view.UpdateId);
        WriteLevels(json, "bids", view.Bids);
        WriteLevels(json, "asks", view.Asks);
        json.WriteEndObject();
    }

    /// <summary>One <c>--trades-out</c> line.</summary>
    /// <param name="json">The line's writer.</param>
    /// <param name="t">The delivered trade.</param>
    public static void WriteTrade(Utf8JsonWriter json, in Trade t)
    {
        json.WriteStartObject();
        json.WriteNumber("ts", t.ReceivedNs);
        json.WriteString("s", t.Symbol);
        json.WriteNumber("t", t.TradeId);
        NdjsonText.WriteDecimal(json, "p", t.Price);
        NdjsonText.WriteDecimal(json, "q", t.Quantity);
        json.WriteNumber("T", t.TradeTime);
        json.WriteBoolean("m", t.BuyerIsMaker);
        json.WriteEndObject();
    }

    private static void WriteLevels(Utf8JsonWriter json, string name, IReadOnlyList<PriceLevel> levels)
    {
        json.WriteStartArray(name);
        foreach (PriceLevel level in levels)
        {
            json.WriteStartArray();
            json.WriteStringValue(Text(level.Price));
            json.WriteStringValue(Text(level.Quantity));
            json.WriteEndArray();
        }

        json.WriteEndArray();
    }

    /// <summary>Decimals are JSON strings, exact, in invariant culture.</summary>
    /// <param name="value">The value.</param>
    /// <returns>Its text.</returns>
    public static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
